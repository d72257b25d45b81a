using Kefu.Core.Bots;

namespace Kefu.Eval;

/// <summary>
/// The comparison point: plain Okapi BM25 (k1 = 1.2, b = 0.75) over question and alternates as one
/// field, tokens = lowercased English words and Chinese character unigrams and bigrams; no synonyms,
/// no stemming, no stop words.
/// </summary>
internal sealed class Bm25Baseline
{
    private readonly List<(FaqEntry Entry, Dictionary<string, int> Tf, int Length)> _docs = [];
    private readonly Dictionary<string, int> _df = new(StringComparer.Ordinal);
    private readonly double _averageLength;

    public Bm25Baseline(IEnumerable<FaqEntry> entries)
    {
        foreach (var entry in entries)
        {
            var tokens = Tokenize(entry.Question + " " + string.Join(" ", entry.Alternates));
            var tf = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var token in tokens)
            {
                tf[token] = tf.GetValueOrDefault(token) + 1;
            }
            foreach (var term in tf.Keys)
            {
                _df[term] = _df.GetValueOrDefault(term) + 1;
            }
            _docs.Add((entry, tf, tokens.Count));
        }
        _averageLength = _docs.Average(d => d.Length);
    }

    public string? Top(string question)
    {
        var query = Tokenize(question).Distinct().ToList();
        string? best = null;
        var bestScore = 0.0;
        foreach (var (entry, tf, length) in _docs)
        {
            var score = 0.0;
            foreach (var term in query)
            {
                if (!tf.TryGetValue(term, out var f))
                {
                    continue;
                }
                var df = _df[term];
                var idf = Math.Log(1 + ((_docs.Count - df + 0.5) / (df + 0.5)));
                score += idf * f * 2.2 / (f + (1.2 * (0.25 + (0.75 * length / _averageLength))));
            }
            if (score > bestScore)
            {
                bestScore = score;
                best = entry.Id;
            }
        }
        return best;
    }

    private static List<string> Tokenize(string text)
    {
        var tokens = new List<string>();
        var lower = text.ToLowerInvariant();
        var word = new System.Text.StringBuilder();
        char? previousCjk = null;
        foreach (var c in lower)
        {
            var cjk = c is >= '\u4E00' and <= '\u9FFF';
            if (!cjk && char.IsLetterOrDigit(c))
            {
                word.Append(c);
                previousCjk = null;
                continue;
            }
            if (word.Length > 0)
            {
                tokens.Add(word.ToString());
                word.Clear();
            }
            if (cjk)
            {
                tokens.Add(c.ToString());
                if (previousCjk is { } p)
                {
                    tokens.Add(string.Concat(p.ToString(), c.ToString()));
                }
                previousCjk = c;
            }
            else
            {
                previousCjk = null;
            }
        }
        if (word.Length > 0)
        {
            tokens.Add(word.ToString());
        }
        return tokens;
    }
}
