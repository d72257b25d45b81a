namespace Kefu.Redis;

/// <summary>How the Redis bus names its channel and how much it may queue locally.</summary>
public sealed class RedisBusOptions
{
    /// <summary>
    /// Names the deployment's channel (<c>{prefix}:bus</c>); every node of one deployment uses the same prefix,
    /// deployments sharing one Redis use different ones.
    /// </summary>
    public string ChannelPrefix { get; set; } = "kefu";

    /// <summary>Events waiting for the publishing loop; beyond this, publishing drops (clients heal by seq).</summary>
    public int MaxQueuedEvents { get; set; } = 65_536;

    /// <summary>During an outage, how often the bus checks whether delivery works again.</summary>
    public TimeSpan ProbeInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(ChannelPrefix))
        {
            throw new ArgumentException("RedisBusOptions.ChannelPrefix must not be empty.");
        }
        if (MaxQueuedEvents < 1)
        {
            throw new ArgumentException($"RedisBusOptions.MaxQueuedEvents must be at least 1 (was {MaxQueuedEvents}).");
        }
        if (ProbeInterval <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RedisBusOptions.ProbeInterval must be positive (was {ProbeInterval}).");
        }
    }
}
