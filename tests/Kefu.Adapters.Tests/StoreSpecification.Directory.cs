using Kefu.Core.Storage;

namespace Kefu.Adapters.Tests;

public abstract partial class StoreSpecification
{
    [SkippableFact]
    public async Task Bootstrap_creates_a_tenant_a_site_a_default_team_and_the_admin()
    {
        var world = await BootstrapAsync();

        Assert.True(world.AdminCreated);
        Assert.StartsWith("t_", world.Tenant.Id, StringComparison.Ordinal);
        Assert.StartsWith("s_", world.Site.Id, StringComparison.Ordinal);
        Assert.StartsWith("team_", world.Team.Id, StringComparison.Ordinal);
        Assert.StartsWith("a_", world.Admin.Id, StringComparison.Ordinal);
        Assert.True(world.Team.IsDefault);
        Assert.True(world.Admin.IsAdmin);
        Assert.True(world.Admin.MustChangePassword);
        Assert.False(world.Admin.Disabled);
        Assert.Equal(5, world.Admin.MaxConcurrent);
        Assert.Equal("hash-of-secret", world.Admin.PasswordHash);
        Assert.False(string.IsNullOrEmpty(world.Site.IdentitySecret));
        Assert.False(string.IsNullOrEmpty(world.Site.SiteKey));
        Assert.Empty(world.Site.AllowedOrigins);
        AssertSameSite(world.Site, await Directory.FindSiteByKeyAsync(world.Site.SiteKey, None).Within());
        AssertSameSite(world.Site, await Directory.GetSiteAsync(world.Site.Id, None).Within());
        Assert.Equal(world.Team, await Directory.GetDefaultTeamAsync(world.Tenant.Id, None).Within());
        Assert.Equal(world.Admin, await Directory.FindAgentByUsernameAsync("admin", None).Within());
        Assert.Equal(world.Admin, await Directory.GetAgentAsync(world.Admin.Id, None).Within());
        Assert.Null(await Directory.FindSiteByKeyAsync("no-such-key", None).Within());
        Assert.Null(await Directory.GetAgentAsync("a_missing", None).Within());
    }

    [SkippableFact]
    public async Task Bootstrap_from_two_instances_at_once_creates_everything_once()
    {
        var other = Open(new RecordingObserver());
        await Task.WhenAll(Directory.MigrateAsync(None), other.Directory.MigrateAsync(None)).Within();

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            (i % 2 == 0 ? Directory : other.Directory).BootstrapAsync(AdminRequest(), None))).Within();

        Assert.Single(results, r => r.AdminCreated);
        Assert.Single(results.Select(r => r.Tenant).Distinct());
        Assert.All(results, r => AssertSameSite(results[0].Site, r.Site));
        Assert.Single(results.Select(r => r.Team).Distinct());
        Assert.Single(results.Select(r => r.Admin).Distinct());
    }

    [SkippableFact]
    public async Task Bootstrap_with_another_admin_username_later_keeps_the_first_admin()
    {
        var first = await BootstrapAsync();

        var later = await Directory.BootstrapAsync(AdminRequest("someone-else"), None).Within();

        Assert.False(later.AdminCreated);
        Assert.Equal(first.Admin, later.Admin);
        Assert.Null(await Directory.FindAgentByUsernameAsync("someone-else", None).Within());
    }

    [SkippableFact]
    public async Task Migrating_again_changes_nothing()
    {
        var world = await BootstrapAsync();
        var conversation = await NewConversationAsync(world);
        await AppendAsync(conversation, "kept");

        await Directory.MigrateAsync(None).Within();
        await Open(new RecordingObserver()).Directory.MigrateAsync(None).Within();

        Assert.Single(await Conversations.ReadAfterAsync(conversation.Id, 0, 10, None).Within());
        Assert.False((await BootstrapAsync()).AdminCreated);
        Assert.True(await Directory.PingAsync(None).Within());
    }

    [SkippableFact]
    public async Task A_setting_keeps_the_first_value_stored()
    {
        var values = await Task.WhenAll(Enumerable.Range(0, 10).Select(i =>
            Directory.GetOrAddSettingAsync("signing-key", $"value-{i}", None))).Within();

        Assert.Single(values.Distinct());
        Assert.Equal(values[0], await Directory.GetOrAddSettingAsync("signing-key", "later", None).Within());
    }

    [SkippableFact]
    public async Task A_set_setting_replaces_the_value_and_an_unknown_key_reads_as_null()
    {
        Assert.Null(await Directory.GetSettingAsync("prechat:nowhere", None).Within());

        await Directory.SetSettingAsync("prechat:site-1", "{\"enabled\":true}", None).Within();
        await Directory.SetSettingAsync("prechat:site-1", "{\"enabled\":false}", None).Within();

        Assert.Equal("{\"enabled\":false}", await Directory.GetSettingAsync("prechat:site-1", None).Within());
        Assert.Equal("{\"enabled\":false}", await Directory.GetOrAddSettingAsync("prechat:site-1", "ignored", None).Within());
    }

    [SkippableFact]
    public async Task A_visitor_named_later_keeps_a_verified_name()
    {
        var world = await BootstrapAsync();
        var anonymous = await Directory.GetOrCreateVisitorAsync(new VisitorRegistration(world.Tenant.Id, world.Site.Id, null, null, null, null), Clock.GetUtcNow(), None).Within();
        var verified = await Directory.GetOrCreateVisitorAsync(new VisitorRegistration(world.Tenant.Id, world.Site.Id, "user-7", "Signed Name", null, null), Clock.GetUtcNow(), None).Within();

        Assert.True(await Directory.NameVisitorAsync(anonymous.Id, "韩梅梅", None).Within());
        Assert.True(await Directory.NameVisitorAsync(verified.Id, "Typed Name", None).Within());
        Assert.False(await Directory.NameVisitorAsync("v_missing", "x", None).Within());

        Assert.Equal("韩梅梅", (await Directory.GetVisitorAsync(anonymous.Id, None).Within())!.Name);
        Assert.Equal("Signed Name", (await Directory.GetVisitorAsync(verified.Id, None).Within())!.Name);
    }

    [SkippableFact]
    public async Task A_verified_visitor_is_created_once_per_site_and_anonymous_ones_every_time()
    {
        var world = await BootstrapAsync();
        var registration = new VisitorRegistration(world.Tenant.Id, world.Site.Id, "user-42", "Li Lei", "li@example.com", """{"pageUrl":"/a"}""");

        var verified = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ =>
            Directory.GetOrCreateVisitorAsync(registration, Clock.GetUtcNow(), None))).Within();
        var anonymous = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Directory.GetOrCreateVisitorAsync(registration with { ExternalId = null }, Clock.GetUtcNow(), None))).Within();

        var visitor = Assert.Single(verified.Distinct());
        Assert.StartsWith("v_", visitor.Id, StringComparison.Ordinal);
        Assert.Equal("user-42", visitor.ExternalId);
        Assert.Equal("Li Lei", visitor.Name);
        Assert.Equal(visitor, await Directory.GetVisitorAsync(visitor.Id, None).Within());
        Assert.Equal(3, anonymous.Select(v => v.Id).Distinct().Count());
        Assert.DoesNotContain(visitor.Id, anonymous.Select(v => v.Id));
    }

    [SkippableFact]
    public async Task A_visitors_context_can_be_replaced()
    {
        var world = await BootstrapAsync();
        var visitor = await NewVisitorAsync(world);

        await Directory.UpdateVisitorContextAsync(visitor.Id, """{"pageUrl":"/pricing"}""", None).Within();

        Assert.Equal("""{"pageUrl":"/pricing"}""", (await Directory.GetVisitorAsync(visitor.Id, None).Within())!.ContextJson);
    }

    // A site holds a list, so record equality compares it by reference.
    private static void AssertSameSite(Site expected, Site? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected with { AllowedOrigins = [] }, actual with { AllowedOrigins = [] });
        Assert.Equal(expected.AllowedOrigins, actual.AllowedOrigins);
    }
}
