using Kefu.Adapters.Tests.Infrastructure;
using Kefu.Core.Messaging;
using Kefu.Redis;

namespace Kefu.Adapters.Tests;

/// <summary>The bus specification on Redis, with two buses on their own connections as two nodes.</summary>
public sealed class RedisBusSpecificationTests(RedisFixture redis) : BusSpecification, IClassFixture<RedisFixture>
{
    private readonly string _channelPrefix = $"kefu-spec-{Guid.NewGuid():N}";
    private RedisNode? _node;
    private RedisNode? _peer;

    public override async Task InitializeAsync()
    {
        if (redis.IsAvailable)
        {
            _node = await RedisNode.StartAsync(redis.ConnectionString, _channelPrefix);
            _peer = await RedisNode.StartAsync(redis.ConnectionString, _channelPrefix);
        }
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_node is not null)
        {
            await _node.DisposeAsync();
        }
        if (_peer is not null)
        {
            await _peer.DisposeAsync();
        }
    }

    protected override IMessageBus CreateBus() => Node(_node);

    protected override IMessageBus CreatePeer() => Node(_peer);

    private RedisBus Node(RedisNode? node)
    {
        _ = redis.ConnectionString; // skips, or fails under CI, when there is no Redis
        return node!.Bus;
    }
}
