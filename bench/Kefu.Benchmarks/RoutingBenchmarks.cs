using BenchmarkDotNet.Attributes;
using Kefu.Core.Routing;

namespace Kefu.Benchmarks;

/// <summary>
/// Routing decisions with 10,000 queued visitors and 500 agents: each decision finds the next (visitor,
/// agent) pair, takes the visitor out of the queue and counts the assignment; to keep the queue and the
/// loads steady, a new visitor then arrives and the agent closes one conversation. One operation is one
/// decision plus that upkeep, so the numbers are an upper bound on the cost of a decision alone.
/// </summary>
[MemoryDiagnoser]
public class RoutingBenchmarks
{
    private const int Decisions = 1000;
    private InMemoryRoutingState state = null!;
    private long sequence;

    [Params(0, 10)]
    public int PercentWithSkills { get; set; }

    [Params(RoutingStrategy.LeastBusy, RoutingStrategy.RoundRobin)]
    public RoutingStrategy Strategy { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        state = new InMemoryRoutingState();
        state.SetTeam("team", Strategy);
        for (var i = 0; i < 500; i++)
        {
            // Every fifth agent speaks zh; capacities 3 to 7, each agent half full.
            var skills = i % 5 == 0 ? new[] { "zh" } : [];
            var max = 3 + (i % 5);
            state.UpsertAgent(new RoutingAgent("a" + i, "tenant", "Agent " + i, max, ["team"], skills));
            state.SetAvailable("a" + i, true);
            state.SetLoad("a" + i, max / 2, assignedAtMs: i);
        }
        for (var i = 0; i < 10_000; i++)
        {
            Arrive();
        }
    }

    [Benchmark(OperationsPerInvoke = Decisions)]
    public int Decide()
    {
        var made = 0;
        for (var i = 0; i < Decisions; i++)
        {
            var match = state.NextMatch();
            if (match is null)
            {
                continue;
            }
            state.Remove(match.Item.ConversationId);
            var load = state.LoadOf(match.AgentId);
            state.SetLoad(match.AgentId, load + 1, assignedAtMs: sequence);
            made++;
            Arrive();
            state.SetLoad(match.AgentId, load);
        }
        return made;
    }

    private void Arrive()
    {
        var n = ++sequence;
        var skills = PercentWithSkills > 0 && n % (100 / PercentWithSkills) == 0 ? new[] { "zh" } : [];
        state.Enqueue(new QueuedItem("c" + n, "tenant", "team", skills, n % 50 == 0 ? 1 : 0, n));
    }
}
