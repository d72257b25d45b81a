using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// A real Kefu server in its own process: real Kestrel on a loopback port, a real SQLite file in a temp
/// data folder. It can be killed hard (SIGKILL) and started again on the same data.
/// </summary>
internal sealed class ServerProcess : IKefuServer, IAsyncDisposable
{
    public const string AdminUsername = "admin";
    public const string AdminPassword = "admin-password-1";
    private readonly Dictionary<string, string> _environment;
    private readonly StringBuilder _output = new();
    private Process? _process;

    private readonly bool _ownsData;
    private bool _urlsArgument = true;
    private int? _openFileLimit;

    private ServerProcess(string dataDir, int port, Dictionary<string, string> environment, bool ownsData = true)
    {
        _ownsData = ownsData;
        DataDir = dataDir;
        Port = port;
        _environment = environment;
        Http = new HttpClient { BaseAddress = BaseUri, Timeout = TimeSpan.FromSeconds(30) };
    }

    public string DataDir { get; }
    public int Port { get; }
    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");
    public Uri WebSocketUri => new($"ws://127.0.0.1:{Port}/ws");
    public HttpClient Http { get; }
    public string DatabasePath => Path.Combine(DataDir, "kefu.db");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>
    /// A server started without <c>--urls</c>, with <c>ASPNETCORE_HTTP_PORTS</c> naming its port, as the .NET
    /// container images start it.
    /// </summary>
    public static Task<ServerProcess> StartOnHttpPortsAsync() => StartAsync(port => new Dictionary<string, string>
    {
        ["ASPNETCORE_HTTP_PORTS"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
    }, urlsArgument: false);

    public static Task<ServerProcess> StartAsync(IDictionary<string, string>? settings = null) => StartAsync(_ => settings ?? new Dictionary<string, string>(), urlsArgument: true);

    /// <summary>A server whose process may open at most <paramref name="openFileLimit"/> files (<c>ulimit -n</c>).</summary>
    public static Task<ServerProcess> StartWithOpenFileLimitAsync(int openFileLimit) =>
        StartAsync(_ => new Dictionary<string, string>(), urlsArgument: true, openFileLimit);

    private static async Task<ServerProcess> StartAsync(Func<int, IDictionary<string, string>> settingsForPort, bool urlsArgument, int? openFileLimit = null)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDir);
        var environment = new Dictionary<string, string>
        {
            ["Kefu__DataDir"] = dataDir,
            ["Kefu__Admin__Username"] = AdminUsername,
            ["Kefu__Admin__Password"] = AdminPassword,
            ["Logging__LogLevel__Default"] = "Warning",
            // On in production; here off, so that a visitor alone with no agent online gets exactly the seqs it
            // sends. Tests of the agentsAway event turn it on.
            ["Kefu__Routing__AnnounceAgentsAway"] = "false",
        };
        var port = FreePort();
        foreach (var (key, value) in settingsForPort(port))
        {
            environment[key] = value;
        }
        var server = new ServerProcess(dataDir, port, environment) { _urlsArgument = urlsArgument, _openFileLimit = openFileLimit };
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the process (again, after a kill) on the same port and data folder, and waits until it is ready.</summary>
    public async Task StartAgainAsync()
    {
        string[] arguments = _urlsArgument ? [RepoPaths.ServerDll, "--urls", $"http://127.0.0.1:{Port}"] : [RepoPaths.ServerDll];
        var info = _openFileLimit is { } limit
            ? new ProcessStartInfo("bash", ["-c", $"ulimit -n {limit} && exec dotnet \"$@\"", "bash", .. arguments])
            : new ProcessStartInfo("dotnet", arguments);
        info.RedirectStandardOutput = true;
        info.RedirectStandardError = true;
        info.UseShellExecute = false;
        info.WorkingDirectory = DataDir;
        foreach (var (key, value) in _environment)
        {
            info.Environment[key] = value;
        }
        var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        await WaitReadyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>The last server started by <see cref="StartSiblingAsync"/>.</summary>
    public static ServerProcess? LastSibling { get; private set; }

    /// <summary>A second node on the same data folder (and so the same SQLite file), on its own port.</summary>
    public static async Task<ServerProcess> StartSiblingAsync(ServerProcess first)
    {
        ArgumentNullException.ThrowIfNull(first);
        var sibling = new ServerProcess(first.DataDir, FreePort(), new Dictionary<string, string>(first._environment), ownsData: false);
        LastSibling = sibling;
        await sibling.StartAgainAsync();
        return sibling;
    }

    public static async Task<(int ExitCode, string Output)> RunToExitAsync(IDictionary<string, string> settings, TimeSpan timeout)
    {
        var info = new ProcessStartInfo("dotnet", [RepoPaths.ServerDll, "--urls", $"http://127.0.0.1:{FreePort()}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in settings)
        {
            info.Environment[key] = value;
        }
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("The server did not exit.");
        }
        return (process.ExitCode, await stdout + await stderr);
    }

    public bool HasExited => _process is not { HasExited: false };

    public void Kill()
    {
        if (_process is { HasExited: false } p)
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit(10_000);
        }
    }

    /// <summary>A graceful stop (SIGTERM), as a service manager would do it.</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false } p)
        {
            _ = Posix.Kill(p.Id, 15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await p.WaitForExitAsync(cts.Token);
        }
    }

    public async Task<string> AdminTokenAsync() => (await Api.LoginAsync(Http, AdminUsername, AdminPassword)).Token;

    public Task<(ProtocolClient Client, System.Text.Json.Nodes.JsonObject Welcome)> HelloAsync(string token) => ProtocolClient.HelloAsync(WebSocketUri, token);

    public async ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        Http.Dispose();
        await Task.Yield();
        if (!_ownsData)
        {
            return;
        }
        try
        {
            Directory.Delete(DataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file may still be held briefly; the temp folder is cleaned by the system.
        }
    }

    private async Task WaitReadyAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited)
            {
                throw new InvalidOperationException("The server exited during start:\n" + Output);
            }
            try
            {
                using var response = await Http.GetAsync(new Uri("readyz", UriKind.Relative));
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("The server did not become ready:\n" + Output);
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
