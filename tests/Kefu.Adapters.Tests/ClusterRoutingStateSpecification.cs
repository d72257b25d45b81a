using Kefu.Core.Routing;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Adapters.Tests;

/// <summary>
/// What every shared routing state must do, in process as in Redis. Several "nodes" are several callers of
/// one state; reservations expire on a fake clock, so no test waits for time to pass.
/// </summary>
public abstract class ClusterRoutingStateSpecification
{
    protected static readonly TimeSpan ReservationLifetime = TimeSpan.FromSeconds(10);

    private static readonly RoutingSnapshot Empty = new([], new Dictionary<string, IReadOnlyList<string>>());

    protected FakeTimeProvider Time { get; } = new(new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>An empty state on the test's own keys, reservations living <see cref="ReservationLifetime"/> on <see cref="Time"/>.</summary>
    protected abstract IClusterRoutingState CreateState();

    /// <summary>Makes the state lose everything, as a Redis restart or flush does.</summary>
    protected abstract Task LoseAsync(IClusterRoutingState state);

    [SkippableFact]
    public async Task A_new_state_is_lost_until_rebuilt_and_only_the_first_rebuild_counts()
    {
        var state = CreateState();
        Assert.Null(await state.TicketAsync("c_1", CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Lost, await state.TryReserveAsync("a_1", "c_1", 1, CancellationToken.None).Within());

        Assert.True(await state.RebuildAsync(new RoutingSnapshot(["c_1", "c_2"], new Dictionary<string, IReadOnlyList<string>>()), CancellationToken.None).Within());
        Assert.False(await state.RebuildAsync(new RoutingSnapshot(["c_2", "c_1"], new Dictionary<string, IReadOnlyList<string>>()), CancellationToken.None).Within());

        Assert.Equal(1, await state.TicketAsync("c_1", CancellationToken.None).Within());
        Assert.Equal(2, await state.TicketAsync("c_2", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task Tickets_are_one_line_for_every_caller()
    {
        var state = await BuiltAsync();

        var first = await state.TicketAsync("c_1", CancellationToken.None).Within();
        var second = await state.TicketAsync("c_2", CancellationToken.None).Within();
        var again = await state.TicketAsync("c_1", CancellationToken.None).Within();

        Assert.True(second > first);
        Assert.Equal(first, again);
        await state.DropTicketAsync("c_1", CancellationToken.None).Within();
        Assert.True(await state.TicketAsync("c_1", CancellationToken.None).Within() > second);
    }

    [SkippableFact]
    public async Task Concurrent_ticket_requests_for_one_conversation_get_one_ticket()
    {
        var state = await BuiltAsync();

        var tickets = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => state.TicketAsync("c_1", CancellationToken.None)))).Within();

        Assert.Single(tickets.Distinct());
    }

    [SkippableFact]
    public async Task An_agent_is_never_reserved_past_its_capacity_however_many_callers_race()
    {
        var state = await BuiltAsync();

        var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() => state.TryReserveAsync("a_1", $"c_{i}", 3, CancellationToken.None)))).Within();

        Assert.Equal(3, outcomes.Count(o => o == ReservationOutcome.Reserved));
        Assert.Equal(17, outcomes.Count(o => o == ReservationOutcome.Full));
        Assert.Equal(3, await state.LoadOfAsync("a_1", CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task Reserving_the_same_conversation_again_for_the_same_agent_takes_no_second_place()
    {
        var state = await BuiltAsync();

        Assert.Equal(ReservationOutcome.Reserved, await state.TryReserveAsync("a_1", "c_1", 1, CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Reserved, await state.TryReserveAsync("a_1", "c_1", 1, CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Full, await state.TryReserveAsync("a_1", "c_2", 1, CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task A_conversation_reserved_for_one_agent_is_taken_for_the_others_until_it_expires()
    {
        var state = await BuiltAsync();
        Assert.Equal(ReservationOutcome.Reserved, await state.TryReserveAsync("a_1", "c_1", 5, CancellationToken.None).Within());

        Assert.Equal(ReservationOutcome.Taken, await state.TryReserveAsync("a_2", "c_1", 5, CancellationToken.None).Within());

        Time.Advance(ReservationLifetime + TimeSpan.FromMilliseconds(1));
        Assert.Equal(0, await state.LoadOfAsync("a_1", CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Reserved, await state.TryReserveAsync("a_2", "c_1", 5, CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task A_confirmed_reservation_lasts_until_released()
    {
        var state = await BuiltAsync();
        await state.TryReserveAsync("a_1", "c_1", 1, CancellationToken.None).Within();
        await state.ConfirmAsync("a_1", "c_1", CancellationToken.None).Within();

        Time.Advance(ReservationLifetime * 3);
        Assert.Equal(1, await state.LoadOfAsync("a_1", CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Full, await state.TryReserveAsync("a_1", "c_2", 1, CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Reserved, await state.TryReserveAsync("a_2", "c_1", 1, CancellationToken.None).Within());

        await state.ReleaseAsync("a_1", "c_1", CancellationToken.None).Within();
        Assert.Equal(ReservationOutcome.Reserved, await state.TryReserveAsync("a_1", "c_2", 1, CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task Releasing_a_refused_reservation_frees_the_conversation_for_other_agents()
    {
        var state = await BuiltAsync();
        await state.TryReserveAsync("a_1", "c_1", 1, CancellationToken.None).Within();

        await state.ReleaseAsync("a_1", "c_1", CancellationToken.None).Within();

        Assert.Equal(0, await state.LoadOfAsync("a_1", CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Reserved, await state.TryReserveAsync("a_2", "c_1", 1, CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task Resetting_a_load_replaces_the_confirmed_part_and_keeps_live_reservations()
    {
        var state = await BuiltAsync();
        await state.ConfirmAsync("a_1", "c_old", CancellationToken.None).Within();
        await state.TryReserveAsync("a_1", "c_pending", 5, CancellationToken.None).Within();

        await state.ResetLoadAsync("a_1", ["c_1", "c_2"], CancellationToken.None).Within();

        Assert.Equal(3, await state.LoadOfAsync("a_1", CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Full, await state.TryReserveAsync("a_1", "c_new", 3, CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task A_lost_state_is_rebuilt_from_the_snapshot_with_its_loads_and_queue_order()
    {
        var state = await BuiltAsync();
        await state.TicketAsync("c_stale", CancellationToken.None).Within();
        await state.ConfirmAsync("a_1", "c_gone", CancellationToken.None).Within();

        await LoseAsync(state);
        Assert.Null(await state.TicketAsync("c_q1", CancellationToken.None).Within());
        Assert.Equal(ReservationOutcome.Lost, await state.TryReserveAsync("a_1", "c_q1", 5, CancellationToken.None).Within());

        var open = new Dictionary<string, IReadOnlyList<string>> { ["a_1"] = ["c_o1", "c_o2"], ["a_2"] = ["c_o3"] };
        Assert.True(await state.RebuildAsync(new RoutingSnapshot(["c_q2", "c_q1"], open), CancellationToken.None).Within());

        Assert.Equal(2, await state.LoadOfAsync("a_1", CancellationToken.None).Within());
        Assert.Equal(1, await state.LoadOfAsync("a_2", CancellationToken.None).Within());
        var q2 = await state.TicketAsync("c_q2", CancellationToken.None).Within();
        var q1 = await state.TicketAsync("c_q1", CancellationToken.None).Within();
        Assert.True(q2 < q1);
        Assert.True(await state.TicketAsync("c_new", CancellationToken.None).Within() > q1);
        Assert.Equal(ReservationOutcome.Full, await state.TryReserveAsync("a_1", "c_q2", 2, CancellationToken.None).Within());
    }

    [SkippableFact]
    public async Task The_generation_is_null_while_lost_kept_while_whole_and_new_after_a_rebuild()
    {
        var state = CreateState();
        Assert.Null(await state.GenerationAsync(CancellationToken.None).Within());
        Assert.True(await state.RebuildAsync(Empty, CancellationToken.None).Within());
        var first = await state.GenerationAsync(CancellationToken.None).Within();
        Assert.NotNull(first);
        Assert.False(await state.RebuildAsync(Empty, CancellationToken.None).Within());
        Assert.Equal(first, await state.GenerationAsync(CancellationToken.None).Within());

        // Rebuilt with the same queue order, the tickets match the old ones: only the generation tells the builds apart.
        await LoseAsync(state);
        Assert.Null(await state.GenerationAsync(CancellationToken.None).Within());
        Assert.True(await state.RebuildAsync(Empty, CancellationToken.None).Within());
        var second = await state.GenerationAsync(CancellationToken.None).Within();
        Assert.NotNull(second);
        Assert.NotEqual(first, second);
    }

    private async Task<IClusterRoutingState> BuiltAsync()
    {
        var state = CreateState();
        Assert.True(await state.RebuildAsync(Empty, CancellationToken.None).Within());
        return state;
    }
}
