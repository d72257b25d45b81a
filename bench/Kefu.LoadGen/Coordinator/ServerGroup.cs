namespace Kefu.LoadGen.Coordinator;

/// <summary>
/// The servers under test: <c>--nodes</c> processes started by the generator (one after the other, so the
/// first migrates the store and creates the admin), or the running nodes named by <c>--url a,b,c</c>.
/// Several nodes share a store and a bus only when <c>--server-env</c> gives them PostgreSQL and Redis.
/// </summary>
internal sealed class ServerGroup : IAsyncDisposable
{
    private ServerGroup(List<ServerHost> nodes) => Nodes = nodes;

    public List<ServerHost> Nodes { get; }

    public IReadOnlyList<Uri> Urls => Nodes.Select(n => n.Url).ToList();

    public IReadOnlyList<int> Pids => Nodes.Select(n => n.Pid).ToList();

    public IReadOnlyDictionary<string, string> Limits => Nodes[0].Limits;

    public static async Task<ServerGroup> StartAsync(Settings settings, string runDir, string name, int maxConcurrent)
    {
        if (settings.Urls.Count > 0)
        {
            if (settings.ServerPid is not null && settings.Urls.Count > 1)
                throw new ArgumentException("--server-pid names one node; leave it out with several --url and the pids are found from the ports");
            return new ServerGroup(settings.Urls.Select(u => ServerHost.External(u, settings.ServerPid)).ToList());
        }

        var nodes = new List<ServerHost>();
        var group = new ServerGroup(nodes);
        try
        {
            for (var i = 0; i < settings.Nodes; i++)
            {
                var log = Path.Combine(runDir, settings.Nodes == 1 ? $"server-{name}.log" : $"server-{name}-node{i + 1}.log");
                nodes.Add(await ServerHost.StartAsync(settings, log, maxConcurrent, CancellationToken.None));
            }
        }
        catch
        {
            await group.DisposeAsync();
            throw;
        }

        return group;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes)
            await node.DisposeAsync();
    }
}
