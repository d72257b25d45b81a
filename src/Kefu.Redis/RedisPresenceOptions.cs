namespace Kefu.Redis;

/// <summary>Where the presence registry keeps its keys and how long an entry lives unless refreshed.</summary>
public sealed class RedisPresenceOptions
{
    /// <summary>Key prefix of the deployment (<c>{prefix}:presence:{userId}</c>).</summary>
    public string KeyPrefix { get; set; } = "kefu";

    /// <summary>How long an entry lives after its node last refreshed it; nodes refresh well within it.</summary>
    public TimeSpan EntryLifetime { get; set; } = TimeSpan.FromSeconds(90);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new ArgumentException("RedisPresenceOptions.KeyPrefix must not be empty.");
        }
        if (EntryLifetime < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentException($"RedisPresenceOptions.EntryLifetime must be at least 1 ms (was {EntryLifetime}).");
        }
    }
}
