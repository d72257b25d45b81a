using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

public abstract partial class StoreSpecification
{
    [SkippableFact]
    public async Task Uploads_are_saved_replaced_found_from_another_node_and_deleted_with_where_they_were_sent()
    {
        var world = await BootstrapAsync();
        var now = Clock.GetUtcNow();
        var partial = new StoredUpload("up_a", "v_1", world.Tenant.Id, world.Site.Id, 1000, 0, "plan.pdf", "application/octet-stream", false, now, now.AddHours(1));
        await Store.Uploads.SaveUploadAsync(partial, None).Within();
        var done = partial with { Offset = 1000, Complete = true, ContentType = "image/jpeg", Width = 640, Height = 480, StoredLength = 900 };
        await Store.Uploads.SaveUploadAsync(done, None).Within();

        var otherNode = Open(Observer);
        var found = await otherNode.Uploads.FindUploadAsync("up_a", None).Within();
        Assert.Equal(Truncated(done), found);
        Assert.Null(await otherNode.Uploads.FindUploadAsync("up_missing", None).Within());

        await Store.Uploads.AddUploadConversationAsync("up_a", "c_2", None).Within();
        await Store.Uploads.AddUploadConversationAsync("up_a", "c_1", None).Within();
        await Store.Uploads.AddUploadConversationAsync("up_a", "c_1", None).Within();
        Assert.Equal(["c_1", "c_2"], await otherNode.Uploads.ListUploadConversationsAsync("up_a", None).Within());

        await otherNode.Uploads.DeleteUploadAsync("up_a", None).Within();
        Assert.Null(await Store.Uploads.FindUploadAsync("up_a", None).Within());
        Assert.Empty(await Store.Uploads.ListUploadConversationsAsync("up_a", None).Within());
    }

    [SkippableFact]
    public async Task Expired_incomplete_uploads_are_listed_and_a_sites_bytes_are_summed()
    {
        var world = await BootstrapAsync();
        var now = Clock.GetUtcNow();
        StoredUpload Upload(string id, string? site, long length, bool complete, TimeSpan ttl, long? stored = null) =>
            new(id, "v_1", world.Tenant.Id, site, length, complete ? length : 0, "f", "application/octet-stream", complete, now, now + ttl, StoredLength: stored);
        await Store.Uploads.SaveUploadAsync(Upload("up_stale", world.Site.Id, 100, false, TimeSpan.FromMinutes(-1)), None).Within();
        await Store.Uploads.SaveUploadAsync(Upload("up_fresh", world.Site.Id, 200, false, TimeSpan.FromHours(1)), None).Within();
        await Store.Uploads.SaveUploadAsync(Upload("up_done", world.Site.Id, 400, true, TimeSpan.FromMinutes(-1), stored: 350), None).Within();
        await Store.Uploads.SaveUploadAsync(Upload("up_agent", null, 800, true, TimeSpan.FromMinutes(-1)), None).Within();
        await Store.Uploads.SaveUploadAsync(Upload("up_other_site", "s_other", 1600, false, TimeSpan.FromHours(1)), None).Within();

        Assert.Equal(["up_stale"], await Store.Uploads.ListExpiredUploadsAsync(now, 10, None).Within());
        Assert.Equal(100 + 200 + 350, await Store.Uploads.SiteUploadBytesAsync(world.Site.Id, None).Within());
        Assert.Equal(0, await Store.Uploads.SiteUploadBytesAsync("s_nobody", None).Within());
    }

    [SkippableFact]
    public async Task Uploads_created_at_once_on_two_nodes_reserve_at_most_the_quota()
    {
        var world = await BootstrapAsync();
        var now = Clock.GetUtcNow();
        var otherNode = Open(Observer);
        await Store.Uploads.SaveUploadAsync(new StoredUpload("up_kept", "v_1", world.Tenant.Id, world.Site.Id, 500, 0, "f", "application/octet-stream", false, now, now.AddHours(1)), None).Within();

        // 20 creations of 1000 bytes at once, half through each node, against a 5000-byte quota with 500 in use.
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            (i % 2 == 0 ? Store : otherNode).Uploads.TryAddUploadWithinQuotaAsync(
                new StoredUpload($"up_{i}", "v_1", world.Tenant.Id, world.Site.Id, 1000, 0, "f", "application/octet-stream", false, now, now.AddHours(1)), 5000, None))));

        Assert.Equal(4, results.Count(r => r is null));
        Assert.All(results.Where(r => r is not null), used => Assert.InRange(used!.Value, 4001, 4500));
        Assert.Equal(4500, await Store.Uploads.SiteUploadBytesAsync(world.Site.Id, None).Within());
        // Removing one gives its bytes back.
        var added = Enumerable.Range(0, 20).First(i => results[i] is null);
        await Store.Uploads.DeleteUploadAsync($"up_{added}", None).Within();
        Assert.Null(await otherNode.Uploads.TryAddUploadWithinQuotaAsync(
            new StoredUpload("up_after", "v_1", world.Tenant.Id, world.Site.Id, 1000, 0, "f", "application/octet-stream", false, now, now.AddHours(1)), 5000, None).Within());
    }

    // Times are stored to the millisecond.
    private static StoredUpload Truncated(StoredUpload u) => u with
    {
        CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(u.CreatedAt.ToUnixTimeMilliseconds()),
        ExpiresAt = DateTimeOffset.FromUnixTimeMilliseconds(u.ExpiresAt.ToUnixTimeMilliseconds()),
    };
}
