using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Auth;

/// <summary>
/// Slows password guessing: after <see cref="AuthOptions.LoginMaxFailures"/> failures for one username (or
/// four times as many from one address) further attempts are refused until the lockout passes. Per node;
/// several nodes multiply the allowance by their count, which still bounds guessing.
/// </summary>
internal sealed class LoginThrottle(IOptions<AuthOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Failures> _failures = new(StringComparer.Ordinal);

    /// <summary>Seconds to wait before the next attempt, or 0 when the attempt may proceed.</summary>
    public int RetryAfterSeconds(string username, string address)
    {
        var now = time.GetUtcNow();
        return Math.Max(Blocked("u:" + username.ToUpperInvariant(), options.Value.LoginMaxFailures, now),
            Blocked("a:" + address, options.Value.LoginMaxFailures * 4, now));
    }

    public void RecordFailure(string username, string address)
    {
        var now = time.GetUtcNow();
        Add("u:" + username.ToUpperInvariant(), now);
        Add("a:" + address, now);
        if (_failures.Count > 50_000)
        {
            Prune(now);
        }
    }

    public void RecordSuccess(string username) => _failures.TryRemove("u:" + username.ToUpperInvariant(), out _);

    private int Blocked(string key, int max, DateTimeOffset now)
    {
        if (!_failures.TryGetValue(key, out var f))
        {
            return 0;
        }
        lock (f)
        {
            var lockout = TimeSpan.FromSeconds(options.Value.LoginLockoutSeconds);
            if (now - f.First > lockout)
            {
                return 0;
            }
            return f.Count >= max ? (int)Math.Ceiling((f.First + lockout - now).TotalSeconds) : 0;
        }
    }

    private void Add(string key, DateTimeOffset now)
    {
        var f = _failures.GetOrAdd(key, _ => new Failures { First = now });
        lock (f)
        {
            if (now - f.First > TimeSpan.FromSeconds(options.Value.LoginLockoutSeconds))
            {
                f.First = now;
                f.Count = 0;
            }
            f.Count++;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        var lockout = TimeSpan.FromSeconds(options.Value.LoginLockoutSeconds);
        foreach (var (key, f) in _failures)
        {
            if (now - f.First > lockout)
            {
                _failures.TryRemove(key, out _);
            }
        }
    }

    private sealed class Failures
    {
        public DateTimeOffset First { get; set; }
        public int Count { get; set; }
    }
}
