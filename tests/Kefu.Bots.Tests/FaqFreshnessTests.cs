using Kefu.Bots.Faq;
using Kefu.Bots.Learning;
using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

/// <summary>
/// Two indexes over one store, as two nodes over one database: whatever one changes (an entry, an import, an approved
/// suggestion, a deletion) the other answers after <see cref="FaqCatalog.EnsureFreshAsync"/>, which costs one revision
/// read when nothing changed.
/// </summary>
public sealed class FaqFreshnessTests : IDisposable
{
    private readonly CountingStore _store = new(new InMemoryFaqStore(SampleFaq.Entries));
    private readonly FaqCatalog _nodeA;
    private readonly FaqCatalog _nodeB;

    public FaqFreshnessTests()
    {
        _nodeA = new FaqCatalog(_store, new FaqIndex());
        _nodeB = new FaqCatalog(_store, new FaqIndex());
    }

    public void Dispose()
    {
        _nodeA.Dispose();
        _nodeB.Dispose();
    }

    [Fact]
    public async Task Changes_made_through_one_catalog_answer_through_the_other_after_its_revision_check()
    {
        await _nodeA.LoadAsync(CancellationToken.None).Within();
        await _nodeB.LoadAsync(CancellationToken.None).Within();
        await _nodeB.EnsureFreshAsync("s1", CancellationToken.None).Within();
        var lists = _store.Lists;
        await _nodeB.EnsureFreshAsync("s1", CancellationToken.None).Within();
        Assert.Equal(lists, _store.Lists);

        await _nodeA.UpsertAsync(new FaqEntry("gift", "s1", "礼品卡怎么充值？", ["充值礼品卡"], "在“我的-礼品卡”中输入卡密。", null), CancellationToken.None).Within();
        Assert.NotEqual("gift", _nodeB.Index.Search("s1", "礼品卡怎么充值").Top?.Entry.Id);
        await _nodeB.EnsureFreshAsync("s1", CancellationToken.None).Within();
        Assert.Equal("gift", _nodeB.Index.Search("s1", "礼品卡怎么充值").Top?.Entry.Id);

        await _nodeA.ImportAsync([new FaqEntry("points", "s1", "积分怎么用？", ["积分抵现"], "下单时勾选积分抵扣。", null)], CancellationToken.None).Within();
        await _nodeA.RemoveAsync("refund", CancellationToken.None).Within();
        await _nodeB.EnsureFreshAsync("s1", CancellationToken.None).Within();
        Assert.Equal("points", _nodeB.Index.Search("s1", "积分怎么用").Top?.Entry.Id);
        Assert.Null(_nodeB.Index.Get("refund"));
        // Another site's entries are not touched by the site's patch.
        Assert.NotNull(_nodeB.Index.Get("other-site"));
    }

    [Fact]
    public async Task A_suggestion_approved_through_one_catalog_answers_its_paraphrase_through_the_other()
    {
        await _nodeA.LoadAsync(CancellationToken.None).Within();
        await _nodeB.LoadAsync(CancellationToken.None).Within();
        var loop = new LearningLoop(new InMemoryLearningStore(), _nodeA, TimeProvider.System);
        await loop.RecordUnansweredAsync(Contexts.Ask("my sign-in secret stopped working", conversationId: "c1"), CancellationToken.None).Within();
        var suggestion = await loop.OnAgentReplyAsync("c1", "Use Forgot password on the sign-in page.", CancellationToken.None).Within();
        await loop.EditAsync(suggestion!.Id, suggestion.Question, suggestion.Answer, "en-password", CancellationToken.None).Within();
        await loop.ApproveAsync(suggestion.Id, CancellationToken.None).Within();

        await _nodeB.EnsureFreshAsync("s1", CancellationToken.None).Within();
        var result = _nodeB.Index.Search("s1", "sign-in secret stopped working");
        Assert.Equal(FaqBand.Answer, result.Band);
        Assert.Equal("en-password", result.Top?.Entry.Id);
    }

    [Fact]
    public async Task An_entry_only_another_catalog_has_seen_is_found_by_id()
    {
        await _nodeA.UpsertAsync(new FaqEntry("new-one", "s2", "Where is my invoice?", [], "Under Orders.", null), CancellationToken.None).Within();
        Assert.Null(_nodeB.Index.Get("new-one"));
        Assert.Equal("Under Orders.", (await _nodeB.GetFreshAsync("new-one", CancellationToken.None).Within())?.Answer);
        Assert.Null(await _nodeB.GetFreshAsync("never-was", CancellationToken.None).Within());
    }

    /// <summary>Counts how often the entries are read, to show that an unchanged revision reads none.</summary>
    private sealed class CountingStore(IFaqStore inner) : IFaqStore
    {
        public int Lists { get; private set; }

        public ValueTask<IReadOnlyList<FaqEntry>> ListAsync(string? siteId, CancellationToken cancellationToken)
        {
            Lists++;
            return inner.ListAsync(siteId, cancellationToken);
        }

        public ValueTask UpsertAsync(FaqEntry entry, CancellationToken cancellationToken) => inner.UpsertAsync(entry, cancellationToken);

        public ValueTask<bool> DeleteAsync(string id, CancellationToken cancellationToken) => inner.DeleteAsync(id, cancellationToken);

        public ValueTask<long> GetRevisionAsync(string siteId, CancellationToken cancellationToken) => inner.GetRevisionAsync(siteId, cancellationToken);
    }
}
