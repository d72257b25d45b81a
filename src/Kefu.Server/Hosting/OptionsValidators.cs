using Kefu.Server.Auth;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Kefu.Server.Hosting;

/// <summary>
/// Start-up validation that names the configuration key, so an operator sees
/// "Kefu:Limits:MaxTextLength must be between 1 and 100000 (got 0)" instead of a stack trace.
/// </summary>
internal sealed class OptionsValidators :
    IValidateOptions<LimitsOptions>, IValidateOptions<StorageOptions>, IValidateOptions<AuthOptions>, IValidateOptions<AdminOptions>,
    IValidateOptions<HostingOptions>, IValidateOptions<MetricsOptions>
{
    public const int MinMetricsToken = 16;

    public ValidateOptionsResult Validate(string? name, LimitsOptions options)
    {
        var errors = new List<string>();
        Range(errors, "Kefu:Limits:MaxFrameBytes", options.MaxFrameBytes, 1024, 16 * 1024 * 1024);
        Range(errors, "Kefu:Limits:MaxTextLength", options.MaxTextLength, 1, 100_000);
        Range(errors, "Kefu:Limits:SendsPer10Seconds", options.SendsPer10Seconds, 1, 10_000_000);
        Range(errors, "Kefu:Limits:MaxConnectionsPerVisitor", options.MaxConnectionsPerVisitor, 1, 1_000_000);
        Range(errors, "Kefu:Limits:VisitorSessionsPerMinute", options.VisitorSessionsPerMinute, 1, 100_000_000);
        Range(errors, "Kefu:Limits:HeartbeatSeconds", options.HeartbeatSeconds, 1, 3600);
        Range(errors, "Kefu:Limits:HelloTimeoutSeconds", options.HelloTimeoutSeconds, 1, 600);
        Range(errors, "Kefu:Limits:MaxConnections", options.MaxConnections, 0, 10_000_000);
        Range(errors, "Kefu:Limits:SendQueueFrames", options.SendQueueFrames, 16, 1_000_000);
        Range(errors, "Kefu:Limits:SendQueueBytes", options.SendQueueBytes, 64 * 1024, 64 * 1024 * 1024);
        Range(errors, "Kefu:Limits:SendQueueStallSeconds", options.SendQueueStallSeconds, 1, 3600);
        Range(errors, "Kefu:Limits:ErrorsPerMinute", options.ErrorsPerMinute, 1, 1_000_000);
        Range(errors, "Kefu:Limits:TrimHeapAfterConnections", options.TrimHeapAfterConnections, 0, 10_000_000);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            errors.Add("Kefu:DataDir must name a folder.");
        }
        if (!string.Equals(options.Store, "sqlite", StringComparison.OrdinalIgnoreCase) && !options.UsesPostgres)
        {
            errors.Add($"Kefu:Store must be 'sqlite' or 'postgres' (got '{options.Store}').");
        }
        if (options.UsesPostgres)
        {
            PostgresConnectionString(errors, options.PostgresConnectionString);
        }
        if (!string.Equals(options.Bus, "inprocess", StringComparison.OrdinalIgnoreCase) && !string.Equals(options.Bus, "redis", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"Kefu:Bus must be 'inprocess' or 'redis' (got '{options.Bus}').");
        }
        if (string.Equals(options.Bus, "redis", StringComparison.OrdinalIgnoreCase) && string.IsNullOrWhiteSpace(options.RedisConnectionString))
        {
            errors.Add("ConnectionStrings:Redis must be set when Kefu:Bus is 'redis'.");
        }
        Range(errors, "Kefu:MaxBatchSize", options.MaxBatchSize, 1, 100_000);
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, AuthOptions options)
    {
        var errors = new List<string>();
        Range(errors, "Kefu:Auth:AgentTokenHours", options.AgentTokenHours, 1, 24 * 365);
        Range(errors, "Kefu:Auth:VisitorTokenDays", options.VisitorTokenDays, 1, 3650);
        Range(errors, "Kefu:Auth:LoginMaxFailures", options.LoginMaxFailures, 1, 1000);
        Range(errors, "Kefu:Auth:LoginLockoutSeconds", options.LoginLockoutSeconds, 1, 86_400);
        if (!string.IsNullOrEmpty(options.SigningKey) && options.SigningKey.Length < 32)
        {
            errors.Add("Kefu:Auth:SigningKey must be at least 32 characters.");
        }
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, AdminOptions options)
    {
        var errors = new List<string>();
        Range(errors, "Kefu:Admin:MaxConcurrent", options.MaxConcurrent, 1, 10_000);
        if (!string.IsNullOrEmpty(options.Password) && options.Password.Length < 8)
        {
            errors.Add("Kefu:Admin:Password must be at least 8 characters.");
        }
        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrWhiteSpace(options.Username))
        {
            errors.Add("Kefu:Admin:Username must be set when Kefu:Admin:Password is.");
        }
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, HostingOptions options)
    {
        var errors = new List<string>();
        var bad = new List<string>();
        AddressLists.Addresses(options.KnownProxies, bad);
        Bad(errors, "Kefu:Hosting:KnownProxies", bad, "an IP address like 10.0.0.5");
        bad.Clear();
        AddressLists.Networks(options.KnownNetworks, bad);
        Bad(errors, "Kefu:Hosting:KnownNetworks", bad, "an address range like 10.0.0.0/8");
        return Result(errors);
    }

    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        var errors = new List<string>();
        var bad = new List<string>();
        AddressLists.Networks(options.AllowedNetworks, bad);
        Bad(errors, "Kefu:Metrics:AllowedNetworks", bad, "an address range like 10.0.0.0/8");
        if (!string.IsNullOrEmpty(options.Token) && options.Token.Trim().Length < MinMetricsToken)
        {
            errors.Add($"Kefu:Metrics:Token must be at least {MinMetricsToken} characters.");
        }
        return Result(errors);
    }

    private static void Bad(List<string> errors, string key, List<string> bad, string expected)
    {
        foreach (var entry in bad)
        {
            errors.Add($"{key}: '{entry}' is not {expected}.");
        }
    }

    private static void PostgresConnectionString(List<string> errors, string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            errors.Add("ConnectionStrings:Postgres must be set when Kefu:Store is 'postgres'.");
            return;
        }
        try
        {
            if (string.IsNullOrWhiteSpace(new NpgsqlConnectionStringBuilder(connectionString).Host))
            {
                errors.Add("ConnectionStrings:Postgres must name a Host.");
            }
        }
        catch (Exception exception) when (exception is ArgumentException or FormatException or InvalidCastException)
        {
            // Npgsql's message names the offending keyword; the connection string itself (it may hold a password) is not echoed.
            errors.Add($"ConnectionStrings:Postgres is not a valid Npgsql connection string: {exception.Message}");
        }
    }

    private static void Range(List<string> errors, string key, int value, int min, int max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{key} must be between {min} and {max} (got {value}).");
        }
    }

    private static ValidateOptionsResult Result(List<string> errors) =>
        errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
}
