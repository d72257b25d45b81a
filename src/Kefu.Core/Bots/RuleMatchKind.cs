namespace Kefu.Core.Bots;

/// <summary>How a rule's patterns are matched against the visitor's message.</summary>
public enum RuleMatchKind
{
    /// <summary>Any pattern occurs as a word (English, case-insensitive) or as a substring (Chinese).</summary>
    Keyword,

    /// <summary>Any pattern occurs as a contiguous phrase, ignoring case, punctuation and spacing.</summary>
    Phrase,

    /// <summary>Any pattern is a .NET regular expression that matches; evaluated with a time limit.</summary>
    Regex,
}
