using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Kefu.Adapters.Tests.Infrastructure;

/// <summary>
/// A throwaway PostgreSQL cluster in a temp folder on a free loopback port, made with the binaries on PATH
/// (or in /usr/lib/postgresql/*/bin):
/// <c>initdb -D TMP/data -U postgres --auth=trust -E UTF8 --locale=C</c>, then
/// <c>pg_ctl -D TMP/data -l TMP/log -o "-p PORT -k TMP -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200" start -w</c>.
/// PostgreSQL refuses to run as root, so under root both run through <c>runuser -u postgres</c> (or a
/// <c>kefupg</c> system user created with <c>useradd -r -M kefupg</c>). Disposing runs <c>pg_ctl stop -m fast</c>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);
    private readonly string _binaries;
    private readonly string _folder;
    private readonly string? _runAs;

    private PostgresServer(string binaries, string folder, string? runAs, int port)
    {
        _binaries = binaries;
        _folder = folder;
        _runAs = runAs;
        Port = port;
    }

    public int Port { get; private set; }

    /// <summary>A connection string to the <c>postgres</c> database as the superuser.</summary>
    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    private string DataFolder => Path.Combine(_folder, "data");

    /// <summary>The folder holding initdb and pg_ctl, or null.</summary>
    public static string? FindBinaries()
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var folder in path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl")))
            {
                return folder;
            }
        }
        const string Debian = "/usr/lib/postgresql";
        if (Directory.Exists(Debian))
        {
            foreach (var version in Directory.GetDirectories(Debian).OrderDescending(StringComparer.Ordinal))
            {
                var bin = Path.Combine(version, "bin");
                if (File.Exists(Path.Combine(bin, "initdb")))
                {
                    return bin;
                }
            }
        }
        return null;
    }

    public static async Task<PostgresServer> StartAsync(string binaries)
    {
        var runAs = Environment.UserName == "root" ? await UnprivilegedUserAsync() : null;
        var folder = Directory.CreateTempSubdirectory("kefu-pg-").FullName;
        var server = new PostgresServer(binaries, folder, runAs, FreePort());
        try
        {
            if (runAs is not null)
            {
                await RunAsync("chown", ["-R", runAs, folder]);
            }
            await server.PgAsync("initdb", ["-D", server.DataFolder, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"]);
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await server.StartAgainAsync();
                    return server;
                }
                catch (InvalidOperationException exception) when (attempt < 3)
                {
                    // The free port may have been taken by another test's server between the check and the bind.
                    Console.Error.WriteLine($"PostgreSQL did not start on port {server.Port} ({exception.Message}); log: {server.LogTail()}");
                    server.Port = FreePort();
                }
                catch (InvalidOperationException exception)
                {
                    throw new InvalidOperationException($"{exception.Message} Log: {server.LogTail()}", exception);
                }
            }
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the cluster (again, after <see cref="StopAsync"/>) on its port and data; returns once it accepts connections.</summary>
    public Task StartAgainAsync()
    {
        var options = string.Create(
            CultureInfo.InvariantCulture,
            $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=on -c max_connections=200");
        return PgAsync("pg_ctl", ["-D", DataFolder, "-l", Path.Combine(_folder, "log"), "-o", options, "start", "-w"]);
    }

    private string LogTail()
    {
        var log = Path.Combine(_folder, "log");
        return File.Exists(log) ? string.Join(" | ", File.ReadLines(log).TakeLast(5)) : "(none)";
    }

    /// <summary>Stops the cluster (<c>pg_ctl stop -m fast</c>: sessions are cut, committed data stays), as an outage would.</summary>
    public Task StopAsync() => PgAsync("pg_ctl", ["-D", DataFolder, "stop", "-m", "fast", "-w"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (File.Exists(Path.Combine(DataFolder, "postmaster.pid")))
            {
                await PgAsync("pg_ctl", ["-D", DataFolder, "stop", "-m", "fast", "-w"]);
            }
        }
        finally
        {
            try
            {
                Directory.Delete(_folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private Task PgAsync(string tool, string[] args)
    {
        var executable = Path.Combine(_binaries, tool);
        return _runAs is null ? RunAsync(executable, args) : RunAsync("runuser", ["-u", _runAs, "--", executable, .. args]);
    }

    /// <summary>The postgres user when there is one; else a system user made for these tests.</summary>
    private static async Task<string> UnprivilegedUserAsync()
    {
        if (await TryRunAsync("id", ["-u", "postgres"]))
        {
            return "postgres";
        }
        if (!await TryRunAsync("id", ["-u", "kefupg"]))
        {
            await RunAsync("useradd", ["-r", "-M", "kefupg"]);
        }
        return "kefupg";
    }

    private static async Task<bool> TryRunAsync(string executable, string[] args)
    {
        try
        {
            await RunAsync(executable, args);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static async Task RunAsync(string executable, string[] args)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(CommandTimeout);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {string.Join(' ', args)} exited with {process.ExitCode}: {await error}{await output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
