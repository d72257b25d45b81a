using System.Text;
using System.Text.RegularExpressions;
using Kefu.Bots.Text;
using Kefu.Core.Bots;

namespace Kefu.Bots.Rules;

/// <summary>
/// A rule made ready to match. Regexes use the non-backtracking engine when the pattern allows it
/// (linear time, no ReDoS by construction) and a match timeout either way.
/// </summary>
internal sealed class CompiledRule
{
    private readonly string[] _patterns;
    private readonly Regex[] _regexes;

    public CompiledRule(BotRule rule, TimeSpan regexTimeout)
    {
        Rule = rule;
        if (rule.Patterns.Count == 0)
        {
            throw new ArgumentException($"Rule '{rule.Id}' has no patterns.");
        }
        _patterns = rule.Match == RuleMatchKind.Regex ? [] : [.. rule.Patterns.Select(p => Clean(p, rule.Match)).Where(p => p.Length > 0)];
        _regexes = rule.Match == RuleMatchKind.Regex ? [.. rule.Patterns.Select(p => CompileRegex(rule.Id, p, regexTimeout))] : [];
    }

    public BotRule Rule { get; }

    public bool AppliesTo(BotContext context) =>
        Rule.Enabled
        && (Rule.SiteId is null || Rule.SiteId == context.SiteId)
        && (Rule.TeamId is null || Rule.TeamId == context.TeamId);

    /// <exception cref="RegexMatchTimeoutException">A backtracking pattern ran out of time.</exception>
    public bool Matches(string message)
    {
        if (Rule.Match == RuleMatchKind.Regex)
        {
            foreach (var regex in _regexes)
            {
                if (regex.IsMatch(message))
                {
                    return true;
                }
            }
            return false;
        }
        var text = Clean(message, Rule.Match);
        foreach (var pattern in _patterns)
        {
            if (ContainsOnBoundaries(text, pattern))
            {
                return true;
            }
        }
        return false;
    }

    private static Regex CompileRegex(string ruleId, string pattern, TimeSpan timeout)
    {
        const RegexOptions options = RegexOptions.IgnoreCase | RegexOptions.CultureInvariant;
        try
        {
            return new Regex(pattern, options | RegexOptions.NonBacktracking, timeout);
        }
        catch (NotSupportedException)
        {
            // Backreferences and lookarounds need the backtracking engine; the timeout bounds it.
            try
            {
                return new Regex(pattern, options, timeout);
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Rule '{ruleId}' has an invalid regular expression: {ex.Message}", ex);
            }
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"Rule '{ruleId}' has an invalid regular expression: {ex.Message}", ex);
        }
    }

    /// <summary>Lowercase, full-width folded; for phrases, punctuation and runs of spaces become one space.</summary>
    private static string Clean(string text, RuleMatchKind kind)
    {
        var normalized = TextNormalizer.Normalize(text);
        if (kind != RuleMatchKind.Phrase)
        {
            return normalized.Trim();
        }
        var builder = new StringBuilder(normalized.Length);
        foreach (var c in normalized)
        {
            if (char.IsLetterOrDigit(c))
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

    /// <summary>English words match whole ("ship" not in "relationship"); Chinese has no word boundaries.</summary>
    private static bool ContainsOnBoundaries(string text, string pattern)
    {
        var at = text.IndexOf(pattern, StringComparison.Ordinal);
        while (at >= 0)
        {
            var end = at + pattern.Length;
            var startOk = at == 0 || !TextNormalizer.IsWordChar(pattern[0]) || !TextNormalizer.IsWordChar(text[at - 1]);
            var endOk = end == text.Length || !TextNormalizer.IsWordChar(pattern[^1]) || !TextNormalizer.IsWordChar(text[end]);
            if (startOk && endOk)
            {
                return true;
            }
            at = text.IndexOf(pattern, at + 1, StringComparison.Ordinal);
        }
        return false;
    }
}
