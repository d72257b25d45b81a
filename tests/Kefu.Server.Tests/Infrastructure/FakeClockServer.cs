using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>
/// The whole server in this process (real SQLite store in a temp folder, real routing, real sockets over the
/// test host) on a <see cref="FakeTimeProvider"/>: time moves only when a test advances <see cref="Clock"/>,
/// so timeouts (inactivity, reopen window, business hours, the agent grace period) are tested at their
/// exact boundaries without waiting for them.
/// </summary>
internal sealed class FakeClockServer : WebApplicationFactory<Program>, IKefuServer
{
    private readonly string _dataDir = Path.Combine(Path.GetTempPath(), "kefu-clock-" + Guid.NewGuid().ToString("N"));
    private readonly IDictionary<string, string> _settings;
    private HttpClient? _http;

    public FakeClockServer(DateTimeOffset start, IDictionary<string, string>? settings = null)
    {
        Clock = new FakeTimeProvider(start);
        _settings = settings ?? new Dictionary<string, string>();
        Directory.CreateDirectory(_dataDir);
    }

    public FakeTimeProvider Clock { get; }

    public HttpClient Http => _http ??= CreateClient();

    public async Task<string> AdminTokenAsync() => (await Api.LoginAsync(Http, ServerProcess.AdminUsername, ServerProcess.AdminPassword)).Token;

    public async Task<(ProtocolClient Client, JsonObject Welcome)> HelloAsync(string token)
    {
        var sockets = Server.CreateWebSocketClient();
        sockets.SubProtocols.Add("kefu.v1");
        using var cts = new CancellationTokenSource(ProtocolClient.DefaultTimeout);
        var socket = await sockets.ConnectAsync(new Uri(Server.BaseAddress, "ws"), cts.Token);
        return await ProtocolClient.HelloAsync(socket, token);
    }

    /// <summary>Moves the clock in steps no longer than <paramref name="step"/>, so periodic work runs at each step as it would in real time.</summary>
    public void Advance(TimeSpan by, TimeSpan? step = null)
    {
        var each = step ?? TimeSpan.FromSeconds(1);
        for (var left = by; left > TimeSpan.Zero; left -= each)
        {
            Clock.Advance(left < each ? left : each);
        }
    }

    /// <summary>
    /// Like <see cref="Advance"/>, and each client in <paramref name="keepAlive"/> pings after every step, as
    /// real clients do on their heartbeat, so long stretches of fake time do not drop them as silent.
    /// </summary>
    public async Task AdvanceAsync(TimeSpan by, TimeSpan step, params ProtocolClient[] keepAlive)
    {
        ArgumentNullException.ThrowIfNull(keepAlive);
        for (var left = by; left > TimeSpan.Zero; left -= step)
        {
            Clock.Advance(left < step ? left : step);
            foreach (var client in keepAlive)
            {
                var rid = client.NextRid();
                await client.SendAsync(new { type = "ping", rid });
                await client.WaitForAsync(f => (string?)f["rid"] == rid && ProtocolClient.Type(f) == "pong");
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.UseEnvironment("Production");
        builder.UseContentRoot(Path.Combine(RepoPaths.Root, "src", "Kefu.Server"));
        builder.UseSetting("Kefu:DataDir", _dataDir);
        builder.UseSetting("Kefu:Admin:Username", ServerProcess.AdminUsername);
        builder.UseSetting("Kefu:Admin:Password", ServerProcess.AdminPassword);
        builder.UseSetting("Kefu:Routing:AnnounceAgentsAway", "false");
        // Test clients do not ping: let them stay silent for hours of fake time.
        builder.UseSetting("Kefu:Limits:HeartbeatSeconds", "3600");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
        builder.ConfigureTestServices(services => services.Replace(ServiceDescriptor.Singleton<TimeProvider>(Clock)));
    }

    public override async ValueTask DisposeAsync()
    {
        _http?.Dispose();
        await base.DisposeAsync();
        try
        {
            Directory.Delete(_dataDir, recursive: true);
        }
        catch (IOException)
        {
            // A file still open; the temp folder is cleaned by the OS.
        }
        GC.SuppressFinalize(this);
    }
}
