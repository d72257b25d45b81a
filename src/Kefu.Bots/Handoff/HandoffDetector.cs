using System.Text;
using Kefu.Bots.Text;

namespace Kefu.Bots.Handoff;

/// <summary>
/// Recognises a visitor asking for a human. Explicit requests ("转人工", "talk to a person") count
/// anywhere in the message; bare words that could also be the topic of a question ("人工", "agent",
/// "客服") count only when they are the whole message once politeness is stripped, so
/// "人工客服几点上班" or "how do I add an agent" still go to the FAQ.
/// </summary>
internal sealed class HandoffDetector
{
    private static readonly string[] DefaultExplicit =
    [
        "转人工", "找人工", "要人工", "接人工", "人工服务", "真人客服", "真人", "人工坐席", "转接客服", "找客服", "联系人工",
        "talk to a human", "talk to a person", "talk to someone", "talk to an agent", "speak to a human", "speak to a person",
        "speak to someone", "speak to an agent", "real person", "human agent", "live agent", "customer service representative",
        "connect me to an agent", "transfer me",
    ];

    private static readonly string[] DefaultBare =
    [
        "人工", "人工客服", "客服", "在线客服", "客服人员", "human", "agent", "person", "operator", "representative",
        "a human", "an agent", "a person", "support", "customer service",
    ];

    // Politeness and filler removed before checking a bare word; longest first so "我想要" goes whole.
    private static readonly string[] Filler = OrderedLongestFirst(
    [
        "please", "i want", "i need", "i'd like", "can i have", "get me", "give me", "i want to", "an", "a", "the", "now",
        "我想要", "我需要", "帮我转", "帮我找", "给我", "我要", "我想", "请问", "麻烦", "谢谢", "请", "找", "呢", "吧", "啊", "吗",
    ]);

    private readonly string[] _explicit;
    private readonly HashSet<string> _bare;

    public HandoffDetector(IEnumerable<string>? extraExplicit = null)
    {
        _explicit = [.. DefaultExplicit.Concat(extraExplicit ?? []).Select(Clean)];
        _bare = new HashSet<string>(DefaultBare.Select(Clean), StringComparer.Ordinal);
    }

    public bool IsRequest(string message)
    {
        var text = Clean(message);
        if (text.Length == 0)
        {
            return false;
        }
        foreach (var phrase in _explicit)
        {
            if (Contains(text, phrase))
            {
                return true;
            }
        }
        return _bare.Contains(StripFiller(text));
    }

    /// <summary>Lowercase, full-width folded, punctuation to single spaces.</summary>
    private static string Clean(string text)
    {
        var normalized = TextNormalizer.Normalize(text);
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsLetterOrDigit(c) || c == '\'')
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }
        return builder.ToString().Trim();
    }

    /// <summary>An English phrase must sit on word boundaries; a Chinese one may sit anywhere.</summary>
    private static bool Contains(string text, string phrase)
    {
        var at = text.IndexOf(phrase, StringComparison.Ordinal);
        while (at >= 0)
        {
            var before = at == 0 || !TextNormalizer.IsWordChar(text[at - 1]) || !TextNormalizer.IsWordChar(phrase[0]);
            var end = at + phrase.Length;
            var after = end == text.Length || !TextNormalizer.IsWordChar(text[end]) || !TextNormalizer.IsWordChar(phrase[^1]);
            if (before && after)
            {
                return true;
            }
            at = text.IndexOf(phrase, at + 1, StringComparison.Ordinal);
        }
        return false;
    }

    private static string[] OrderedLongestFirst(string[] words) => [.. words.OrderByDescending(w => w.Length)];

    private static string StripFiller(string text)
    {
        var changed = true;
        while (changed && text.Length > 0)
        {
            changed = false;
            foreach (var filler in Filler)
            {
                var isWord = TextNormalizer.IsWordChar(filler[0]);
                if (text.StartsWith(filler, StringComparison.Ordinal) && (!isWord || text.Length == filler.Length || text[filler.Length] == ' '))
                {
                    text = text[filler.Length..].TrimStart();
                    changed = true;
                }
                else if (text.EndsWith(filler, StringComparison.Ordinal) && (!isWord || text.Length == filler.Length || text[^(filler.Length + 1)] == ' '))
                {
                    text = text[..^filler.Length].TrimEnd();
                    changed = true;
                }
            }
        }
        return text;
    }
}
