using System.Collections.Immutable;
using Kefu.Core.Bots;

namespace Kefu.Bots.Rules;

/// <summary>
/// The rules in force, compiled once and swapped atomically, so matching never takes a lock and an
/// admin's change applies to the next message. An invalid rule is refused with its id in the error.
/// </summary>
public sealed class RuleSet(TimeSpan? regexTimeout = null)
{
    private readonly TimeSpan _regexTimeout = regexTimeout ?? TimeSpan.FromMilliseconds(50);
    private readonly Lock _writer = new();
    private ImmutableArray<CompiledRule> _rules = [];

    public IReadOnlyList<BotRule> Rules => [.. _rules.Select(r => r.Rule)];

    public void Replace(IEnumerable<BotRule> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var compiled = Order(rules.Select(r => new CompiledRule(r, _regexTimeout)));
        lock (_writer)
        {
            _rules = compiled;
        }
    }

    public void Upsert(BotRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        var compiled = new CompiledRule(rule, _regexTimeout);
        lock (_writer)
        {
            _rules = Order(_rules.Where(r => r.Rule.Id != rule.Id).Append(compiled));
        }
    }

    public bool Remove(string id)
    {
        lock (_writer)
        {
            var kept = _rules.RemoveAll(r => r.Rule.Id == id);
            var removed = kept.Length != _rules.Length;
            _rules = kept;
            return removed;
        }
    }

    internal ImmutableArray<CompiledRule> Snapshot => _rules;

    /// <summary>Highest priority first; ties by id, so the order never depends on insertion.</summary>
    private static ImmutableArray<CompiledRule> Order(IEnumerable<CompiledRule> rules) =>
        [.. rules.OrderByDescending(r => r.Rule.Priority).ThenBy(r => r.Rule.Id, StringComparer.Ordinal)];
}
