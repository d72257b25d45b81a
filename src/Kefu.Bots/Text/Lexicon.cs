namespace Kefu.Bots.Text;

/// <summary>
/// Domain concepts: words and phrases that mean the same thing to a customer-service visitor
/// (退款, 退钱, refund, money back) map to one concept, so a paraphrase shares a feature with the
/// FAQ entry even when it shares no word. Immutable once built.
/// </summary>
internal sealed class Lexicon
{
    private readonly Dictionary<string, string> _chinese = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _english = new(StringComparer.Ordinal);

    private Lexicon()
    {
    }

    public int MaxChineseLength { get; private set; }

    public int MaxEnglishWords { get; private set; }

    public static Lexicon Empty { get; } = new();

    public static Lexicon LoadDefault()
    {
        using var stream = typeof(Lexicon).Assembly.GetManifestResourceStream("Kefu.Bots.lexicon.txt")
            ?? throw new InvalidOperationException("The embedded lexicon is missing from Kefu.Bots.");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }

    /// <summary>Parses lines of <c>concept: term | term</c>; later lines win on a repeated term.</summary>
    public static Lexicon Parse(string text)
    {
        var lexicon = new Lexicon();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                continue;
            }
            var concept = "#" + line[..colon].Trim();
            foreach (var term in line[(colon + 1)..].Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                lexicon.Add(term, concept);
            }
        }
        return lexicon;
    }

    public bool TryChinese(ReadOnlySpan<char> text, out string concept) =>
        _chinese.GetAlternateLookup<ReadOnlySpan<char>>().TryGetValue(text, out concept!);

    public bool TryEnglish(string stemmedPhrase, out string concept) =>
        _english.TryGetValue(stemmedPhrase, out concept!);

    private void Add(string term, string concept)
    {
        var normalized = TextNormalizer.Normalize(term);
        if (normalized.Length > 0 && TextNormalizer.IsCjk(normalized[0]))
        {
            _chinese[normalized] = concept;
            MaxChineseLength = Math.Max(MaxChineseLength, normalized.Length);
            return;
        }
        var words = EnglishStemmer.StemWords(normalized);
        if (words.Count == 0)
        {
            return;
        }
        _english[string.Join(' ', words)] = concept;
        MaxEnglishWords = Math.Max(MaxEnglishWords, words.Count);
    }
}
