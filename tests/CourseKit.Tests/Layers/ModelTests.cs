using CourseKit.Layers;
using CourseKit.Losses;
using CourseKit.Optimizers;
using CourseKit.Training;

namespace CourseKit.Tests.Layers;

/// <summary>
/// Model: a network given by its nodes (Keras' functional API). Forward follows the picture; backward runs in reverse
/// and sums the gradients where a node feeds several consumers (lecture 4.2).
/// </summary>
public sealed class ModelTests
{
    private const double Bound = GradientBound.Float32;

    [Fact]
    public void A_residual_block_written_as_nodes_computes_what_the_Residual_layer_computes()
    {
        var x = Model.Input(2, 4, 4);
        var body = x.Then(new Convolution(2, 2, 3, pad: 1, seed: 1), new Tanh(), new Convolution(2, 2, 3, pad: 1, seed: 2));
        var model = new Model(x, body + x);
        var residual = new Residual(new Sequential(new Convolution(2, 2, 3, pad: 1, seed: 1), new Tanh(), new Convolution(2, 2, 3, pad: 1, seed: 2)));

        var input = RandomTensor.Uniform([2, 2, 4, 4], seed: 3);
        var dout = RandomTensor.Uniform([2, 2, 4, 4], seed: 4);
        Assert.Equal(residual.Forward(input).ToArray(), model.Forward(input).ToArray());
        Assert.Equal(residual.Backward(dout).ToArray(), model.Backward(dout).ToArray());
        for (int i = 0; i < model.Parameters.Count; i++)
            Assert.Equal(residual.Parameters[i].Grad.ToArray(), model.Parameters[i].Grad.ToArray());
    }

    [Fact]
    public void A_node_used_by_three_consumers_gets_the_sum_of_their_three_gradients()
    {
        // y = affine(x) + tanh(x) + x: x feeds three consumers, so ∂E/∂x = affine's dx + tanh's dx + dout.
        var x = Model.Input(3);
        var model = new Model(x, Node.Add(x.Then(new Affine(3, 3, seed: 5)), x.Then(new Tanh()), x));
        var input = RandomTensor.Uniform([2, 3], seed: 6);
        var dout = RandomTensor.Uniform([2, 3], seed: 7);
        model.Forward(input);
        var dx = model.Backward(dout).ToArray();

        var affine = new Affine(3, 3, seed: 5);
        var tanh = new Tanh();
        affine.Forward(input);
        tanh.Forward(input);
        float[] d1 = affine.Backward(dout).ToArray(), d2 = tanh.Backward(dout).ToArray(), d3 = dout.ToArray();
        for (int i = 0; i < dx.Length; i++) Assert.Equal(d1[i] + d2[i] + d3[i], dx[i], 5);
    }

    [Fact]
    public void Three_consumers_of_an_inner_node_pass_the_numerical_gradient_check()
    {
        // h = conv(x) feeds a convolution, a sigmoid and the ⊕ itself; the join sums three paths.
        var x = Model.Input(2, 5, 5);
        var h = x.Then(new Convolution(2, 3, 3, pad: 1, seed: 8));
        var y = Node.Add(h.Then(new Convolution(3, 3, 3, pad: 1, seed: 9)), h.Then(new Sigmoid()), h).Then(new Tanh());
        var result = GradientCheck.Layer(new Model(x, y), RandomTensor.Uniform([2, 2, 5, 5], seed: 10), seed: 11);
        Assert.True(result.MaxError < Bound, result.ToString());
        Assert.Equal(4, result.ParameterErrors.Count);
    }

    [Fact]
    public void A_node_added_to_itself_gets_twice_the_gradient()
    {
        var x = Model.Input(4);
        var model = new Model(x, x + x);
        var input = RandomTensor.Uniform([2, 4], seed: 12);
        Assert.Equal((input * 2f).ToArray(), model.Forward(input).ToArray());
        var dout = RandomTensor.Uniform([2, 4], seed: 13);
        Assert.Equal((dout * 2f).ToArray(), model.Backward(dout).ToArray());
    }

    [Fact]
    public void Concatenated_branches_pass_the_numerical_gradient_check()
    {
        // Inception-like: three parallel branches and the input itself joined along the channels, then mixed by a 1×1.
        var x = Model.Input(2, 4, 4);
        var y = Node.Concat(x.Then(new Convolution(2, 1, 1, seed: 14)),
                            x.Then(new Convolution(2, 2, 3, pad: 1, seed: 15), new Tanh()),
                            x.Then(new MaxPooling(3, stride: 1, pad: 1)),
                            x)
                    .Then(new Convolution(7, 2, 1, seed: 16));
        var model = new Model(x, y);
        var input = RandomTensor.Distinct([2, 2, 4, 4], seed: 17) * 0.1f;
        Assert.Equal(new Shape(2, 2, 4, 4), model.Forward(input).Shape);
        var result = GradientCheck.Layer(model, input, seed: 18);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void Concat_puts_the_branches_in_order_and_splits_the_gradient_back()
    {
        var x = Model.Input(1, 2, 2);
        var model = new Model(x, Node.Concat(x, x.Then(new Tanh()), x));
        var input = RandomTensor.Uniform([1, 1, 2, 2], seed: 19);
        var y = model.Forward(input).ToArray();
        var xs = input.ToArray();
        Assert.Equal(xs, y[0..4]);
        Assert.Equal(input.Map(CourseKit.Backends.UnaryOp.Tanh).ToArray(), y[4..8]);
        Assert.Equal(xs, y[8..12]);
        var dout = Tensor.FromData([1, 3, 2, 2], [1f, 2, 3, 4, 0, 0, 0, 0, 10, 20, 30, 40]);
        Assert.Equal([11f, 22, 33, 44], model.Backward(dout).ToArray());
    }

    [Fact]
    public void A_U_Net_shaped_model_reads_top_to_bottom_and_passes_the_gradient_check()
    {
        var x = Model.Input(1, 4, 4);
        var e1 = x.Then(new Convolution(1, 2, 3, pad: 1, seed: 20), new Tanh());
        var b = e1.Then(new AveragePooling(2), new Convolution(2, 2, 3, pad: 1, seed: 21), new Tanh());
        var d1 = Node.Concat(b.Then(new ConvolutionTranspose(2, 2, 2, stride: 2, seed: 22)), e1)
                     .Then(new Convolution(4, 1, 3, pad: 1, seed: 23));
        var unet = new Model(x, d1);
        var result = GradientCheck.Layer(unet, RandomTensor.Distinct([2, 1, 4, 4], seed: 24) * 0.05f, seed: 25);
        Assert.True(result.MaxError < Bound, result.ToString());
    }

    [Fact]
    public void Inside_a_trainer_reused_buffers_give_the_numbers_of_direct_calls()
    {
        // The Trainer lets a network reuse its result tensors; two steps must equal two fresh direct calls.
        Model Build(int seed)
        {
            var x = Model.Input(2, 4, 4);
            var h = x.Then(new Convolution(2, 3, 3, pad: 1, seed: seed), new ReLU());
            var y = Node.Concat(h + h.Then(new Convolution(3, 3, 3, pad: 1, seed: seed + 1)), h);
            return new Model(x, y.Then(new GlobalAveragePooling()));
        }
        Model reusing = Build(26), direct = Build(26);
        for (int step = 0; step < 3; step++)
        {
            var input = RandomTensor.Uniform([2, 2, 4, 4], seed: 30 + step);
            var dout = RandomTensor.Uniform([2, 6], seed: 40 + step);
            var y1 = reusing.Forward(input, training: true, mayReuseResults: true).ToArray();
            var dx1 = reusing.Backward(dout, mayReuseResults: true).ToArray();
            Assert.Equal(direct.Forward(input, training: true).ToArray(), y1);
            Assert.Equal(direct.Backward(dout).ToArray(), dx1);
            for (int i = 0; i < direct.Parameters.Count; i++)
                Assert.Equal(direct.Parameters[i].Grad.ToArray(), reusing.Parameters[i].Grad.ToArray());
        }
    }

    [Fact]
    public void Called_directly_a_model_never_writes_a_tensor_it_returned_before()
    {
        var x = Model.Input(3);
        var h = x.Then(new Affine(3, 3, seed: 50));
        var model = new Model(x, (h + x).Then(new ReLU()) + h);
        var y1 = model.Forward(RandomTensor.Uniform([2, 3], seed: 51));
        var dx1 = model.Backward(RandomTensor.Uniform([2, 3], seed: 52));
        float[] y1Values = y1.ToArray(), dx1Values = dx1.ToArray();
        model.Forward(RandomTensor.Uniform([2, 3], seed: 53));
        model.Backward(RandomTensor.Uniform([2, 3], seed: 54));
        Assert.Equal(y1Values, y1.ToArray());
        Assert.Equal(dx1Values, dx1.ToArray());
    }

    [Fact]
    public void Layers_are_named_in_order_and_the_state_is_prefixed_with_their_names()
    {
        var x = Model.Input(1, 4, 4);
        var y = x.Then(new Convolution(1, 2, 3, pad: 1), new BatchNormalization(2), new ReLU(), new Convolution(2, 2, 3, pad: 1));
        var model = new Model(x, y + y.Then(new ReLU()));
        Assert.Equal(["Convolution1", "BatchNormalization1", "ReLU1", "Convolution2", "ReLU2"], model.Layers.Select(l => l.Name));
        Assert.Contains(model.State(), s => s.Name == "BatchNormalization1.running_var");
        Assert.Same(model.Layers[3], model["Convolution2"]);
        Assert.Equal((1 * 2 * 9 + 2) + (2 + 2) + (2 * 2 * 9 + 2), model.ParameterCount);
    }

    [Fact]
    public void The_summary_lists_each_node_with_its_shape_parameters_and_inputs()
    {
        var x = Model.Input(3, 8, 8);
        var a = x.Then(new Convolution(3, 4, 3, stride: 2, pad: 1));
        var b = x.Then(new Convolution(3, 4, 1, stride: 2));
        var model = new Model(x, (a + b).Then(new GlobalAveragePooling(), new Affine(4, 10)));
        var rows = model.SummaryRows();
        Assert.Equal(["Input", "Convolution1", "Convolution2", "Add1", "GlobalAveragePooling1", "Affine1"], rows.Select(r => r.Name));
        Assert.Equal(new Shape(1, 4, 4, 4), rows[3].OutputShape);
        Assert.Equal(["Convolution1", "Convolution2"], rows[3].Inputs);
        Assert.Equal([0, 3 * 4 * 9 + 4, 3 * 4 + 4, 0, 0, 4 * 10 + 10], rows.Select(r => r.Parameters));
        string table = model.Summary();
        Assert.Contains("Add1 (Add)", table);
        Assert.Contains("(N, 4, 4, 4)", table);
        Assert.Contains("Convolution1, Convolution2", table);
        Assert.Contains($"{model.ParameterCount:N0}", table);
    }

    [Fact]
    public void Joining_nodes_of_different_shapes_names_both_nodes_and_their_shapes()
    {
        var x = Model.Input(2, 8, 8);
        var model = new Model(x, x.Then(new Convolution(2, 2, 3, stride: 2, pad: 1)) + x);
        var e = Assert.Throws<ArgumentException>(() => model.Forward(new Tensor([1, 2, 8, 8])));
        Assert.Contains("Add1", e.Message);
        Assert.Contains("Convolution1 (N, 2, 4, 4)", e.Message);
        Assert.Contains("Input (N, 2, 8, 8)", e.Message);
    }

    [Fact]
    public void A_layer_applied_at_two_places_is_refused()
    {
        var x = Model.Input(3);
        var shared = new Affine(3, 3);
        var e = Assert.Throws<ArgumentException>(() => new Model(x, x.Then(shared).Then(shared)));
        Assert.Contains("2 places", e.Message);
    }

    [Fact]
    public void An_output_built_from_another_input_is_refused()
    {
        var x = Model.Input(3);
        var other = Model.Input(3);
        Assert.Contains("other than the model's input", Assert.Throws<ArgumentException>(() => new Model(x, x + other)).Message);
        Assert.Contains("does not depend on the input", Assert.Throws<ArgumentException>(() => new Model(x, other.Then(new ReLU()))).Message);
    }

    [Fact]
    public void A_batch_of_the_wrong_shape_is_refused_with_the_expected_shape()
    {
        var x = Model.Input(3, 32, 32);
        var model = new Model(x, x.Then(new ReLU()));
        var e = Assert.Throws<ArgumentException>(() => model.Forward(new Tensor([2, 1, 32, 32])));
        Assert.Contains("(N, 3, 32, 32)", e.Message);
    }

    [Fact]
    public void A_model_trains_with_the_Trainer_and_is_a_block_of_a_larger_model()
    {
        // a residual block as a Model, used twice (two instances) inside a Model, learns a separable toy problem
        Model Block(int seed)
        {
            var x = Model.Input(4);
            return new Model(x, (x.Then(new Affine(4, 4, seed: seed), new ReLU(), new Affine(4, 4, seed: seed + 1)) + x).Then(new ReLU()));
        }
        var input = Model.Input(2);
        var net = new Model(input, input.Then(new Affine(2, 4, seed: 60), Block(61), Block(63), new Affine(4, 2, seed: 65)));
        var rng = new System.Random(66);
        var data = new float[64 * 2];
        var labels = new int[64];
        for (int i = 0; i < 64; i++)
        {
            data[2 * i] = (float)(rng.NextDouble() * 2 - 1);
            data[2 * i + 1] = (float)(rng.NextDouble() * 2 - 1);
            labels[i] = data[2 * i] * data[2 * i + 1] > 0 ? 1 : 0;   // XOR of the signs: needs the hidden layers
        }
        var batch = (Tensor.FromData([64, 2], data), labels);
        var trainer = new Trainer(net, new SoftmaxWithLoss(), new Adam(0.02f));
        trainer.Fit(Enumerable.Repeat(batch, 1), epochs: 300);
        Assert.True(Trainer.Accuracy(net, [batch]) > 0.9, $"accuracy {Trainer.Accuracy(net, [batch])}");
    }
}
