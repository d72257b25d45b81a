using System.Collections.Concurrent;
using Kefu.Core.Protocol;

namespace Kefu.Server.Realtime;

/// <summary>
/// This node's connections, indexed the ways delivery looks them up: by user, by tenant (agents) and by
/// watched conversation. Lookups are lock-free reads of copy-on-write arrays; changes (connect,
/// disconnect, watch) take one lock, and are rare next to deliveries.
/// </summary>
internal sealed class ConnectionRegistry
{
    private static readonly ClientConnection[] None = [];
    private readonly Lock _gate = new();
    private readonly ConcurrentDictionary<long, ClientConnection> _all = new();
    private readonly ConcurrentDictionary<long, ClientConnection> _awaitingHello = new();
    private readonly ConcurrentDictionary<string, ClientConnection[]> _byUser = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientConnection[]> _agentsByTenant = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ClientConnection[]> _watchers = new(StringComparer.Ordinal);
    private long _nextId;
    private int _upgraded;
    private long _framesBesidesPings;

    public int Count => _all.Count;

    /// <summary>Upgraded WebSockets, including those that have not said <c>hello</c> yet.</summary>
    public int UpgradedCount => Volatile.Read(ref _upgraded);

    /// <summary>Frames received other than pings, ever: how busy the clients are (pings come from idle ones too).</summary>
    public long FramesBesidesPings => Volatile.Read(ref _framesBesidesPings);

    public void CountFrame(string type)
    {
        if (type != FrameTypes.Ping)
        {
            Interlocked.Increment(ref _framesBesidesPings);
        }
    }

    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Reserves a slot for an upgrade; false when the node is at its cap.</summary>
    public bool TryReserve(int cap)
    {
        while (true)
        {
            var current = Volatile.Read(ref _upgraded);
            if (current >= cap)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _upgraded, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    public void ReleaseReservation() => Interlocked.Decrement(ref _upgraded);

    public void Track(ClientConnection connection)
    {
        _all[connection.Id] = connection;
        _awaitingHello[connection.Id] = connection;
    }

    /// <summary>
    /// Every connection, enumerated without a snapshot (<c>Values</c> would lock the map and copy all of them):
    /// connections that come or go meanwhile may or may not be seen.
    /// </summary>
    public IEnumerable<ClientConnection> All => ValuesOf(_all);

    /// <summary>Connections that have not said <c>hello</c> yet: the few that have just connected.</summary>
    public IEnumerable<ClientConnection> AwaitingHello => ValuesOf(_awaitingHello);

    public ClientConnection[] OfUser(string userId) => _byUser.TryGetValue(userId, out var c) ? c : None;

    public ClientConnection[] AgentsOfTenant(string tenantId) => _agentsByTenant.TryGetValue(tenantId, out var c) ? c : None;

    public ClientConnection[] WatchersOf(string conversationId) => _watchers.TryGetValue(conversationId, out var c) ? c : None;

    /// <summary>Registers an authenticated connection; returns how many connections its user now has.</summary>
    public int Register(ClientConnection connection)
    {
        var caller = connection.Caller ?? throw new InvalidOperationException("Register after hello.");
        _awaitingHello.TryRemove(connection.Id, out _);
        lock (_gate)
        {
            var mine = Add(_byUser, caller.UserId, connection);
            if (caller.Role == Roles.Agent)
            {
                Add(_agentsByTenant, caller.TenantId, connection);
            }
            return mine;
        }
    }

    /// <summary>Forgets a connection; returns how many connections its user still has.</summary>
    public int Unregister(ClientConnection connection, IEnumerable<string> watched)
    {
        _all.TryRemove(connection.Id, out _);
        _awaitingHello.TryRemove(connection.Id, out _);
        var caller = connection.Caller;
        if (caller is null)
        {
            return 0;
        }
        lock (_gate)
        {
            foreach (var conversationId in watched)
            {
                Remove(_watchers, conversationId, connection);
            }
            if (caller.Role == Roles.Agent)
            {
                Remove(_agentsByTenant, caller.TenantId, connection);
            }
            return Remove(_byUser, caller.UserId, connection);
        }
    }

    public void Watch(string conversationId, ClientConnection connection, bool active)
    {
        lock (_gate)
        {
            if (active)
            {
                Add(_watchers, conversationId, connection);
            }
            else
            {
                Remove(_watchers, conversationId, connection);
            }
        }
    }

    private static IEnumerable<ClientConnection> ValuesOf(ConcurrentDictionary<long, ClientConnection> map)
    {
        foreach (var pair in map)
        {
            yield return pair.Value;
        }
    }

    private static int Add(ConcurrentDictionary<string, ClientConnection[]> map, string key, ClientConnection connection)
    {
        var current = map.TryGetValue(key, out var c) ? c : None;
        if (Array.IndexOf(current, connection) >= 0)
        {
            return current.Length;
        }
        ClientConnection[] next = [.. current, connection];
        map[key] = next;
        return next.Length;
    }

    private static int Remove(ConcurrentDictionary<string, ClientConnection[]> map, string key, ClientConnection connection)
    {
        if (!map.TryGetValue(key, out var current))
        {
            return 0;
        }
        var next = Array.FindAll(current, c => c != connection);
        if (next.Length == 0)
        {
            map.TryRemove(key, out _);
        }
        else
        {
            map[key] = next;
        }
        return next.Length;
    }
}
