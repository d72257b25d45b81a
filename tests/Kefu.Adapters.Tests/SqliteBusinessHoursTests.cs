using Kefu.Core.Storage;
using Kefu.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kefu.Adapters.Tests;

/// <summary>The SQLite store's business hours (a port of its own until every adapter has it).</summary>
public sealed class SqliteBusinessHoursTests
{
    [Fact]
    public async Task Hours_are_stored_per_scope_replaced_and_removed_and_never_seen_by_another_tenant()
    {
        var folder = Path.Combine(Path.GetTempPath(), "kefu-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(folder);
        using var observer = new RecordingObserver();
        observer.Release();
        try
        {
            await using var store = new SqliteStore(new SqliteStoreOptions { DatabasePath = Path.Combine(folder, "kefu.db") }, TimeProvider.System, observer, NullLogger<SqliteStore>.Instance);
            await store.MigrateAsync(CancellationToken.None).Within();
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
        }
        finally
        {
            System.IO.Directory.Delete(folder, recursive: true);
        }
    }
}
