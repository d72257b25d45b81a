using System.Text;

namespace Kefu.Bots.Text;

/// <summary>
/// Turns a question into weighted features: lexicon concepts (shared by synonyms in both
/// languages), stemmed English words, and Chinese character bigrams and unigrams (robust to word
/// segmentation, which needs no dictionary). Stop words are dropped and split Chinese runs, so a
/// bigram never straddles "怎么" or "吗".
/// </summary>
internal sealed class TextAnalyzer(Lexicon lexicon, AnalyzerWeights weights)
{
    public Dictionary<string, float> Analyze(string text)
    {
        var counts = new Dictionary<string, (FeatureKind Kind, int Count)>(StringComparer.Ordinal);
        var normalized = TextNormalizer.Normalize(text);
        var i = 0;
        while (i < normalized.Length)
        {
            var start = i;
            if (TextNormalizer.IsCjk(normalized[i]))
            {
                while (i < normalized.Length && TextNormalizer.IsCjk(normalized[i]))
                {
                    i++;
                }
                AnalyzeChinese(normalized.AsSpan(start, i - start), counts);
            }
            else if (TextNormalizer.IsWordChar(normalized[i]))
            {
                // An English run keeps its spaces and apostrophes so phrases ("money back") match.
                while (i < normalized.Length && !TextNormalizer.IsCjk(normalized[i]))
                {
                    i++;
                }
                AnalyzeEnglish(normalized[start..i], counts);
            }
            else
            {
                i++;
            }
        }
        var features = new Dictionary<string, float>(counts.Count, StringComparer.Ordinal);
        foreach (var (term, (kind, count)) in counts)
        {
            // Sublinear term frequency: a word said twice is not twice as relevant.
            features[term] = weights.For(kind) * (1f + MathF.Log(count));
        }
        return features;
    }

    private void AnalyzeChinese(ReadOnlySpan<char> run, Dictionary<string, (FeatureKind, int)> counts)
    {
        var piece = new StringBuilder();
        var i = 0;
        while (i < run.Length)
        {
            var conceptLength = LongestConcept(run[i..], out var concept);
            if (conceptLength > 0)
            {
                Count(counts, concept, FeatureKind.Concept);
                piece.Append(run.Slice(i, conceptLength));
                i += conceptLength;
                continue;
            }
            var stopLength = LongestStopWord(run[i..]);
            if (stopLength > 0)
            {
                EmitGrams(piece, counts);
                i += stopLength;
                continue;
            }
            piece.Append(run[i]);
            i++;
        }
        EmitGrams(piece, counts);
    }

    private int LongestConcept(ReadOnlySpan<char> text, out string concept)
    {
        for (var length = Math.Min(lexicon.MaxChineseLength, text.Length); length >= 1; length--)
        {
            if (lexicon.TryChinese(text[..length], out concept))
            {
                return length;
            }
        }
        concept = "";
        return 0;
    }

    private static int LongestStopWord(ReadOnlySpan<char> text)
    {
        for (var length = Math.Min(StopWords.MaxChineseLength, text.Length); length >= 1; length--)
        {
            if (StopWords.IsChinese(text[..length]))
            {
                return length;
            }
        }
        return 0;
    }

    private static void EmitGrams(StringBuilder piece, Dictionary<string, (FeatureKind, int)> counts)
    {
        for (var i = 0; i < piece.Length; i++)
        {
            Count(counts, string.Concat("u:", piece[i].ToString()), FeatureKind.Unigram);
            if (i + 1 < piece.Length)
            {
                Count(counts, string.Concat("b:", piece[i].ToString(), piece[i + 1].ToString()), FeatureKind.Bigram);
            }
        }
        piece.Clear();
    }

    private void AnalyzeEnglish(string run, Dictionary<string, (FeatureKind, int)> counts)
    {
        var words = EnglishStemmer.StemWords(run).ToArray();
        for (var i = 0; i < words.Length; i++)
        {
            if (!StopWords.IsEnglish(words[i]))
            {
                Count(counts, "w:" + words[i], FeatureKind.Word);
            }
        }
        // Every phrase of the lexicon found in the run, longest first at each position.
        var position = 0;
        while (position < words.Length)
        {
            var matched = 0;
            for (var length = Math.Min(lexicon.MaxEnglishWords, words.Length - position); length >= 1 && matched == 0; length--)
            {
                var phrase = length == 1 ? words[position] : string.Join(' ', words, position, length);
                if (lexicon.TryEnglish(phrase, out var concept))
                {
                    Count(counts, concept, FeatureKind.Concept);
                    matched = length;
                }
            }
            position += Math.Max(matched, 1);
        }
    }

    private static void Count(Dictionary<string, (FeatureKind Kind, int Count)> counts, string term, FeatureKind kind)
    {
        counts[term] = counts.TryGetValue(term, out var existing) ? (kind, existing.Count + 1) : (kind, 1);
    }
}
