namespace Kefu.Adapters.Tests.Infrastructure;

/// <summary>
/// Decides whether Redis tests run: with <c>KEFU_TEST_REDIS</c> (a StackExchange.Redis connection string)
/// they use that server; otherwise they start <c>redis-server</c> from PATH. When neither is there they
/// skip with the reason, except under <c>CI=true</c>, where a missing Redis fails them.
/// </summary>
public static class RedisAvailability
{
    public static string? ExternalConnectionString => Environment.GetEnvironmentVariable("KEFU_TEST_REDIS") is { Length: > 0 } value ? value : null;

    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips (or, under CI, fails) the calling test with <paramref name="reason"/>.</summary>
    public static void Unavailable(string reason)
    {
        if (IsCi)
        {
            Assert.Fail($"{reason} CI=true requires Redis: install redis-server (apt-get install redis-server) or set KEFU_TEST_REDIS.");
        }
        Skip.If(true, $"{reason} Install redis-server (apt-get install redis-server) or set KEFU_TEST_REDIS to a connection string.");
    }

    /// <summary>The redis-server executable for tests that must kill and restart Redis themselves.</summary>
    public static string RequireLocalServer()
    {
        var executable = RedisServer.FindExecutable();
        if (executable is null)
        {
            Unavailable("This test restarts Redis and needs redis-server on PATH; none was found.");
        }
        return executable!;
    }
}
