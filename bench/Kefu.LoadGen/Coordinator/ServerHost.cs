using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kefu.LoadGen.Net;

namespace Kefu.LoadGen.Coordinator;

/// <summary>
/// One server node under test: started by the generator (fresh data folder, lifted limits) or an existing one
/// given by URL, whose pid is given or found from its listening port.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly Process? process;
    private readonly string? dataDir;

    private ServerHost(Uri url, int pid, Process? process, string? dataDir, IReadOnlyDictionary<string, string> limits)
    {
        Url = url;
        Pid = pid;
        this.process = process;
        this.dataDir = dataDir;
        Limits = limits;
    }

    public Uri Url { get; }
    public int Pid { get; }

    /// <summary>The configuration the generator set on the server (empty for an external server).</summary>
    public IReadOnlyDictionary<string, string> Limits { get; }

    public static IReadOnlyDictionary<string, string> LiftedLimits(int maxConcurrent) => new Dictionary<string, string>
    {
        ["Kefu__Limits__SendsPer10Seconds"] = "1000000",
        ["Kefu__Limits__MaxConnectionsPerVisitor"] = "1000",
        ["Kefu__Limits__VisitorSessionsPerMinute"] = "10000000",
        ["Kefu__Admin__MaxConcurrent"] = maxConcurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Kefu__Agents__DefaultMaxConcurrent"] = maxConcurrent.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // The 16 MiB gen0 budget that deploy/Dockerfile and `dotnet run` set (docs/deployment.md, "Many connections").
        ["DOTNET_GCgen0size"] = "0x1000000",
    };

    /// <summary>An already running node at <paramref name="url"/>, whose pid is given or found from its listening port.</summary>
    public static ServerHost External(Uri url, int? pid)
    {
        var found = pid ?? ProcStats.FindListener(url.Port)
            ?? throw new InvalidOperationException($"No process listens on port {url.Port}; pass --server-pid");
        return new ServerHost(url, found, null, null, new Dictionary<string, string>());
    }

    /// <summary>Starts one node with a fresh data folder and lifted limits; waits until it answers /healthz.</summary>
    public static async Task<ServerHost> StartAsync(Settings settings, string logPath, int maxConcurrent, CancellationToken cancellationToken)
    {
        var dll = settings.ServerDll ?? throw new InvalidOperationException("Pass --server-dll or --url");
        var port = FreePort();
        var url = new Uri($"http://127.0.0.1:{port}");
        var dataDir = Directory.CreateTempSubdirectory("kefu-bench-").FullName;
        var limits = LiftedLimits(maxConcurrent);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        start.Environment["Kefu__DataDir"] = dataDir;
        start.Environment["Kefu__Admin__Username"] = settings.AdminUser;
        start.Environment["Kefu__Admin__Password"] = settings.AdminPassword;
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (key, value) in limits)
            start.Environment[key] = value;
        foreach (var pair in settings.ServerEnv)
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            start.Environment[pair[..eq]] = pair[(eq + 1)..];
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the server");
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.WriteLine(e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var api = new ApiClient(url, null);
        var deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * 60;
        while (!await api.IsHealthyAsync(cancellationToken))
        {
            if (process.HasExited)
                throw new InvalidOperationException($"The server exited with code {process.ExitCode}; see {logPath}");
            if (Stopwatch.GetTimestamp() > deadline)
                throw new TimeoutException($"The server did not answer /healthz within 60 s; see {logPath}");
            await Task.Delay(200, cancellationToken);
        }

        return new ServerHost(url, process.Id, process, dataDir, limits);
    }

    public bool HasExited => process?.HasExited ?? !Directory.Exists($"/proc/{Pid}");

    public async ValueTask DisposeAsync()
    {
        if (process is not null)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }

            process.Dispose();
        }

        if (dataDir is not null)
        {
            try
            {
                Directory.Delete(dataDir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
