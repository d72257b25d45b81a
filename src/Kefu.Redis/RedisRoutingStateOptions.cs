namespace Kefu.Redis;

/// <summary>Where the shared routing state keeps its keys and how long an unconfirmed reservation holds a place.</summary>
public sealed class RedisRoutingStateOptions
{
    /// <summary>Key prefix of the deployment (<c>{prefix}:routing:…</c>).</summary>
    public string KeyPrefix { get; set; } = "kefu";

    /// <summary>How long a reservation holds an agent's place before the store confirms the assignment.</summary>
    public TimeSpan ReservationLifetime { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(KeyPrefix))
        {
            throw new ArgumentException("RedisRoutingStateOptions.KeyPrefix must not be empty.");
        }
        if (ReservationLifetime < TimeSpan.FromMilliseconds(1))
        {
            throw new ArgumentException($"RedisRoutingStateOptions.ReservationLifetime must be at least 1 ms (was {ReservationLifetime}).");
        }
    }
}
