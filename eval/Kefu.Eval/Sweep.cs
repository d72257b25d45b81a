using Kefu.Bots.Faq;
using Kefu.Bots.Text;

namespace Kefu.Eval;

/// <summary>
/// Tries analyzer weightings and reports top-1 on the dev half only (the first two paraphrases of
/// each entry), so choosing the weights never looks at the held-out half.
/// </summary>
internal static class Sweep
{
    public static void Run(EvalSet set)
    {
        var dev = new List<(string Expected, string Question)>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (expected, question) in set.Paraphrases)
        {
            if ((seen[expected] = seen.GetValueOrDefault(expected) + 1) <= 2)
            {
                dev.Add((expected, question));
            }
        }
        foreach (var concept in new[] { 1.0f, 1.5f, 2.0f, 3.0f })
        {
            foreach (var unigram in new[] { 0.0f, 0.2f, 0.4f, 0.7f })
            {
                foreach (var word in new[] { 0.7f, 1.0f, 1.5f })
                {
                    var index = new FaqIndex(null, Lexicon.LoadDefault(), new AnalyzerWeights(concept, word, 1.0f, unigram));
                    foreach (var entry in set.Entries)
                    {
                        index.Upsert(entry);
                    }
                    var hits = dev.Count(p => index.Search("demo", p.Question).Top?.Entry.Id == p.Expected);
                    Console.WriteLine($"concept {concept:F1} word {word:F1} unigram {unigram:F1}: dev top-1 {100.0 * hits / dev.Count:F1}%");
                }
            }
        }
    }

    /// <summary>
    /// For cut-offs on the margin-adjusted similarity, how many dev questions would be answered and
    /// how many of those wrongly, and the highest out-of-scope value: picks the calibration midpoint.
    /// </summary>
    public static void Calibrate(EvalSet set)
    {
        var index = new FaqIndex();
        foreach (var entry in set.Entries)
        {
            index.Upsert(entry);
        }
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var dev = new List<(double Adjusted, bool Right)>();
        foreach (var (expected, question) in set.Paraphrases)
        {
            if ((seen[expected] = seen.GetValueOrDefault(expected) + 1) <= 2)
            {
                var result = index.Search("demo", question);
                dev.Add((Adjusted(result), result.Top?.Entry.Id == expected));
            }
        }
        var outOfScope = set.OutOfScope.Select(q => Adjusted(index.Search("demo", q))).Max();
        Console.WriteLine($"highest out-of-scope adjusted similarity: {outOfScope:F3}");
        for (var cut = 0.30; cut <= 0.80; cut += 0.025)
        {
            var answered = dev.Count(d => d.Adjusted >= cut);
            var wrong = dev.Count(d => d.Adjusted >= cut && !d.Right);
            Console.WriteLine($"cut {cut:F3}: answered {100.0 * answered / dev.Count:F1}%, wrong {wrong} ({(answered == 0 ? 0 : 100.0 * wrong / answered):F1}% of answered)");
        }
    }

    private static double Adjusted(FaqSearchResult result)
    {
        if (result.Top is null)
        {
            return 0;
        }
        var first = result.Top.Score;
        var second = result.Matches.Count > 1 ? result.Matches[1].Score : 0;
        return first * (0.8 + (0.2 * Math.Clamp((first - second) / 0.15, 0.0, 1.0)));
    }
}
