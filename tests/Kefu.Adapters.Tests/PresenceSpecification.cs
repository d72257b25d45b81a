using Kefu.Core.Presence;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Adapters.Tests;

/// <summary>What every presence registry must do. Expiry runs on a fake clock, so no test waits for time to pass.</summary>
public abstract class PresenceSpecification
{
    protected static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>A registry on the test's own keys, with entries living <see cref="Lifetime"/> on <see cref="Time"/>.</summary>
    protected abstract IPresenceRegistry CreateRegistry();

    [SkippableFact]
    public async Task A_held_user_is_on_every_node_that_holds_it()
    {
        var registry = CreateRegistry();

        await registry.HoldAsync("node-a", ["u_1", "u_2"], CancellationToken.None).Within();
        await registry.HoldAsync("node-b", ["u_1"], CancellationToken.None).Within();

        Assert.Equal(["node-a", "node-b"], (await registry.NodesOfAsync("u_1", CancellationToken.None).Within()).Order());
        Assert.Equal(["node-a"], await registry.NodesOfAsync("u_2", CancellationToken.None).Within());
        Assert.Empty(await registry.NodesOfAsync("u_nobody", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task A_released_user_leaves_that_node_only()
    {
        var registry = CreateRegistry();
        await registry.HoldAsync("node-a", ["u_1"], CancellationToken.None).Within();
        await registry.HoldAsync("node-b", ["u_1"], CancellationToken.None).Within();

        await registry.ReleaseAsync("node-a", "u_1", CancellationToken.None).Within();

        Assert.Equal(["node-b"], await registry.NodesOfAsync("u_1", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task An_entry_expires_unless_its_node_refreshes_it()
    {
        var registry = CreateRegistry();
        await registry.HoldAsync("node-alive", ["u_1"], CancellationToken.None).Within();
        await registry.HoldAsync("node-dead", ["u_1"], CancellationToken.None).Within();

        Time.Advance(Lifetime * 0.6);
        await registry.HoldAsync("node-alive", ["u_1"], CancellationToken.None).Within();
        Assert.Equal(["node-alive", "node-dead"], (await registry.NodesOfAsync("u_1", CancellationToken.None).Within()).Order());

        Time.Advance(Lifetime * 0.6);
        Assert.Equal(["node-alive"], await registry.NodesOfAsync("u_1", CancellationToken.None).Within());

        Time.Advance(Lifetime);
        Assert.Empty(await registry.NodesOfAsync("u_1", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task Holding_again_after_expiry_brings_the_user_back()
    {
        var registry = CreateRegistry();
        await registry.HoldAsync("node-a", ["u_1"], CancellationToken.None).Within();
        Time.Advance(Lifetime * 2);
        Assert.Empty(await registry.NodesOfAsync("u_1", CancellationToken.None).Within());

        await registry.HoldAsync("node-a", ["u_1"], CancellationToken.None).Within();

        Assert.Equal(["node-a"], await registry.NodesOfAsync("u_1", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task Releasing_tells_whether_the_user_is_left_on_any_node()
    {
        var registry = CreateRegistry();
        await registry.HoldAsync("node-a", ["u_1"], CancellationToken.None).Within();
        await registry.HoldAsync("node-b", ["u_1"], CancellationToken.None).Within();

        Assert.False(await registry.ReleaseAsync("node-a", "u_1", CancellationToken.None).Within());
        Assert.True(await registry.ReleaseAsync("node-b", "u_1", CancellationToken.None).Within());
        Assert.True(await registry.ReleaseAsync("node-b", "u_nobody", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task An_expired_entry_does_not_count_when_releasing()
    {
        var registry = CreateRegistry();
        await registry.HoldAsync("node-dead", ["u_1"], CancellationToken.None).Within();
        Time.Advance(Lifetime * 0.6);
        await registry.HoldAsync("node-a", ["u_1"], CancellationToken.None).Within();
        Time.Advance(Lifetime * 0.6);

        Assert.True(await registry.ReleaseAsync("node-a", "u_1", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task Of_many_nodes_releasing_one_user_at_once_exactly_one_is_told_it_is_gone()
    {
        var registry = CreateRegistry();
        var nodes = Enumerable.Range(0, 8).Select(i => $"node-{i}").ToList();
        foreach (var node in nodes)
        {
            await registry.HoldAsync(node, ["u_1"], CancellationToken.None).Within();
        }

        var gone = await Task.WhenAll(nodes.Select(n => Task.Run(() => registry.ReleaseAsync(n, "u_1", CancellationToken.None)))).Within();

        Assert.Equal(1, gone.Count(g => g));
    }

    [SkippableFact]
    public async Task The_chosen_status_is_one_value_for_every_node()
    {
        var registry = CreateRegistry();
        Assert.Null(await registry.ChosenOfAsync("u_1", CancellationToken.None).Within());

        await registry.SetChosenAsync("u_1", "away", CancellationToken.None).Within();
        Assert.Equal("away", await registry.ChosenOfAsync("u_1", CancellationToken.None).Within());

        await registry.SetChosenAsync("u_1", "online", CancellationToken.None).Within();
        Assert.Equal("online", await registry.ChosenOfAsync("u_1", CancellationToken.None).Within());
        Assert.Null(await registry.ChosenOfAsync("u_2", CancellationToken.None).Within());
    }
}
