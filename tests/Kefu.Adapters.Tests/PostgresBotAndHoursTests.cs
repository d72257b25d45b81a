using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Core.Bots;
using Kefu.Core.Storage;
using Kefu.Storage.Postgres;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Adapters.Tests;

/// <summary>The PostgreSQL store's business hours and bot stores (ports of their own, as on SQLite).</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresBotAndHoursTests(PostgresFixture postgres)
{
    [SkippableFact]
    public async Task Hours_are_stored_per_scope_replaced_and_removed_and_never_seen_by_another_tenant()
    {
        await WithStoreAsync(async store =>
        {
            var world = await store.BootstrapAsync(new BootstrapRequest("admin", "h", "Admin", false, 5), CancellationToken.None).Within();
            await store.SaveBusinessHoursAsync(world.Tenant.Id, world.Team.Id, """{"timeZone":"UTC"}""", CancellationToken.None).Within();
            await store.SaveBusinessHoursAsync(world.Tenant.Id, world.Site.Id, """{"timeZone":"Asia/Shanghai"}""", CancellationToken.None).Within();
            await store.SaveBusinessHoursAsync(world.Tenant.Id, world.Team.Id, """{"timeZone":"Europe/Paris"}""", CancellationToken.None).Within();

            var stored = await store.ListBusinessHoursAsync(world.Tenant.Id, CancellationToken.None).Within();
            Assert.Equal(2, stored.Count);
            Assert.Equal("""{"timeZone":"Europe/Paris"}""", stored.Single(h => h.ScopeId == world.Team.Id).ScheduleJson);
            Assert.Empty(await store.ListBusinessHoursAsync("t_other", CancellationToken.None).Within());

            await store.SaveBusinessHoursAsync(world.Tenant.Id, world.Team.Id, null, CancellationToken.None).Within();
            Assert.Equal([world.Site.Id], (await store.ListBusinessHoursAsync(world.Tenant.Id, CancellationToken.None).Within()).Select(h => h.ScopeId));
        });
    }

    [SkippableFact]
    public async Task Faq_entries_are_upserted_listed_per_site_and_deleted()
    {
        await WithStoreAsync(async store =>
        {
            await store.Faq.UpsertAsync(new FaqEntry("f1", "s1", "Refund?", ["Money back?", "Return"], "Within 3 days.", "after-sales"), CancellationToken.None).AsTask().Within();
            await store.Faq.UpsertAsync(new FaqEntry("f2", "s2", "Shipping?", [], "Five days.", null), CancellationToken.None).AsTask().Within();
            await store.Faq.UpsertAsync(new FaqEntry("f1", "s1", "Refund?", ["Money back?"], "Within a week.", null), CancellationToken.None).AsTask().Within();

            var site = Assert.Single(await store.Faq.ListAsync("s1", CancellationToken.None).AsTask().Within());
            Assert.Equal("Within a week.", site.Answer);
            Assert.Equal(["Money back?"], site.Alternates);
            Assert.Null(site.Category);
            Assert.Equal(["f1", "f2"], (await store.Faq.ListAsync(null, CancellationToken.None).AsTask().Within()).Select(e => e.Id));

            Assert.True(await store.Faq.DeleteAsync("f1", CancellationToken.None).AsTask().Within());
            Assert.False(await store.Faq.DeleteAsync("f1", CancellationToken.None).AsTask().Within());
            Assert.Empty(await store.Faq.ListAsync("s1", CancellationToken.None).AsTask().Within());
        });
    }

    [SkippableFact]
    public async Task The_latest_unanswered_question_is_taken_once_and_suggestions_are_filtered_by_status()
    {
        await WithStoreAsync(async store =>
        {
            var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000);
            await store.Learning.AddUnansweredAsync(new UnansweredQuestion("u1", "s1", "c1", "first", at, null), CancellationToken.None).AsTask().Within();
            await store.Learning.AddUnansweredAsync(new UnansweredQuestion("u2", "s1", "c1", "second", at.AddSeconds(1), "f9"), CancellationToken.None).AsTask().Within();
            var taken = await store.Learning.TakeUnansweredAsync("c1", CancellationToken.None).AsTask().Within();
            Assert.Equal(("u2", "second", "f9", at.AddSeconds(1)), (taken!.Id, taken.Question, taken.NearestEntryId, taken.At));
            Assert.Equal("u1", (await store.Learning.TakeUnansweredAsync("c1", CancellationToken.None).AsTask().Within())!.Id);
            Assert.Null(await store.Learning.TakeUnansweredAsync("c1", CancellationToken.None).AsTask().Within());

            var suggestion = new FaqSuggestion("g1", "s1", "Refund?", "Within 3 days.", null, SuggestionStatus.Pending, at, "c1");
            await store.Learning.AddSuggestionAsync(suggestion, CancellationToken.None).AsTask().Within();
            await store.Learning.AddSuggestionAsync(suggestion with { Id = "g2", CreatedAt = at.AddSeconds(1) }, CancellationToken.None).AsTask().Within();
            Assert.True(await store.Learning.UpdateSuggestionAsync(suggestion with { Status = SuggestionStatus.Approved, TargetEntryId = "f1" }, CancellationToken.None).AsTask().Within());
            Assert.False(await store.Learning.UpdateSuggestionAsync(suggestion with { Id = "missing" }, CancellationToken.None).AsTask().Within());

            Assert.Equal("f1", (await store.Learning.GetSuggestionAsync("g1", CancellationToken.None).AsTask().Within())!.TargetEntryId);
            Assert.Equal(["g1", "g2"], (await store.Learning.ListSuggestionsAsync("s1", null, CancellationToken.None).AsTask().Within()).Select(s => s.Id));
            Assert.Equal(["g2"], (await store.Learning.ListSuggestionsAsync("s1", SuggestionStatus.Pending, CancellationToken.None).AsTask().Within()).Select(s => s.Id));
        });
    }

    private async Task WithStoreAsync(Func<PostgresStore, Task> test)
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        using var observer = new RecordingObserver();
        observer.Release();
        try
        {
            await using var store = new PostgresStore(new PostgresStoreOptions { ConnectionString = connectionString }, TimeProvider.System, observer, NullLogger<PostgresStore>.Instance);
            await store.MigrateAsync(CancellationToken.None).Within();
            await test(store);
        }
        finally
        {
            await postgres.DropDatabaseAsync(connectionString);
        }
    }
}
