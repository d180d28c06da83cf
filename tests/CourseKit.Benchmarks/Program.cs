Console.WriteLine("benchmarks: gemm | conv | train");
