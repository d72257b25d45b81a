using Kefu.Core.Bots;

namespace Kefu.Eval;

/// <summary>
/// Makes a large knowledge base for the latency measurement by cloning the real entries and
/// perturbing them (a dropped character, words borrowed from other entries), so posting lists grow
/// the way a real 10,000-entry base's would rather than holding exact duplicates.
/// </summary>
internal static class Synthesizer
{
    public static List<FaqEntry> Make(IReadOnlyList<FaqEntry> seed, int count, int randomSeed)
    {
        var random = new Random(randomSeed);
        var list = new List<FaqEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var source = seed[random.Next(seed.Count)];
            var donor = seed[random.Next(seed.Count)];
            list.Add(source with
            {
                Id = $"syn{i:D5}",
                Question = Perturb(source.Question, donor.Question, random),
                Alternates = [.. source.Alternates.Select(a => Perturb(a, donor.Answer, random))],
                Answer = Perturb(source.Answer, donor.Answer, random),
            });
        }
        return list;
    }

    private static string Perturb(string text, string donor, Random random)
    {
        var drop = text.Length > 4 ? random.Next(text.Length) : -1;
        var kept = drop >= 0 ? text.Remove(drop, 1) : text;
        var start = random.Next(Math.Max(1, donor.Length - 6));
        var borrowed = donor.Substring(start, Math.Min(6, donor.Length - start));
        return random.Next(2) == 0 ? kept + " " + borrowed : borrowed + " " + kept;
    }
}
