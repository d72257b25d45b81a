using Kefu.Bots.Rules;
using Kefu.Core.Bots;

namespace Kefu.Server.Bots;

/// <summary>
/// The rules in force on this node: compiled from the store, and reloaded when the store's rules revision moved
/// (a change made on any node), checked before each use, so a changed rule answers from the very next message.
/// </summary>
internal sealed class BotRules(IBotFlowStore store) : IDisposable
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private long _loadedRevision = -1;

    /// <summary>
    /// Regular expressions mostly run on the linear-time engine; the time limit guards the backtracking ones and is
    /// generous enough that a busy machine does not skip a plain rule.
    /// </summary>
    public RuleSet Set { get; } = new(TimeSpan.FromMilliseconds(250));

    public async Task EnsureFreshAsync(CancellationToken cancellationToken)
    {
        var revision = await store.GetRulesRevisionAsync(cancellationToken);
        if (revision == Volatile.Read(ref _loadedRevision))
        {
            return;
        }
        await _reload.WaitAsync(cancellationToken);
        try
        {
            revision = await store.GetRulesRevisionAsync(cancellationToken);
            if (revision == _loadedRevision)
            {
                return;
            }
            var rules = await store.ListRulesAsync(cancellationToken);
            // A stored rule that no longer compiles (it was valid when saved) must not take the others down.
            Set.Replace(rules.Where(Compiles));
            Volatile.Write(ref _loadedRevision, revision);
        }
        finally
        {
            _reload.Release();
        }
    }

    public void Dispose() => _reload.Dispose();

    public bool HasRulesFor(string siteId) => Set.Rules.Any(r => r.Enabled && r.SiteId == siteId);

    private static bool Compiles(BotRule rule)
    {
        try
        {
            new RuleSet().Upsert(rule);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
