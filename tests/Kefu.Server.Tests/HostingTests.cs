using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using Kefu.Server.Tests.Infrastructure;

namespace Kefu.Server.Tests;

public sealed class HostingTests
{
    [Theory]
    [InlineData("Kefu__Limits__MaxTextLength", "0", "Kefu:Limits:MaxTextLength")]
    [InlineData("Kefu__Limits__HeartbeatSeconds", "soon", "Kefu:Limits:HeartbeatSeconds")]
    [InlineData("Kefu__Store", "oracle", "Kefu:Store")]
    [InlineData("Kefu__Admin__Password", "short", "Kefu:Admin:Password")]
    public async Task A_bad_setting_stops_the_server_with_a_message_naming_the_key(string variable, string value, string key)
    {
        var dataDir = Path.Combine(Path.GetTempPath(), "kefu-test-" + Guid.NewGuid().ToString("N"));
        var (exitCode, output) = await ServerProcess.RunToExitAsync(
            new Dictionary<string, string> { ["Kefu__DataDir"] = dataDir, [variable] = value }, TimeSpan.FromSeconds(60));
        Assert.Equal(2, exitCode);
        Assert.Contains(key, output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task First_run_without_an_admin_in_configuration_prints_a_generated_password_once()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Admin__Username"] = "", ["Kefu__Admin__Password"] = "" });
        var printed = System.Text.RegularExpressions.Regex.Match(server.Output, @"password: (\S+)");
        Assert.True(printed.Success, server.Output);
        var login = await Api.LoginAsync(server.Http, "admin", printed.Groups[1].Value);
        Assert.False(string.IsNullOrEmpty(login.Token));

        server.Kill();
        var before = server.Output.Length;
        await server.StartAgainAsync();
        Assert.DoesNotContain("password:", server.Output[before..], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kefu_yaml_in_the_working_directory_is_read_and_environment_variables_override_it()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Limits__SendsPer10Seconds"] = "7" });
        await File.WriteAllTextAsync(Path.Combine(server.DataDir, "kefu.yaml"), "Kefu:\n  Limits:\n    MaxTextLength: 123\n    SendsPer10Seconds: 99\n");
        server.Kill();
        await server.StartAgainAsync();
        var visitor = await Api.VisitorAsync(server.Http);
        var (client, welcome) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        await using var _ = client;
        Assert.Equal(123, (int)welcome["limits"]!["maxTextLength"]!);
        Assert.Equal(7, (int)welcome["limits"]!["sendsPer10Seconds"]!);
    }

    [Fact]
    public async Task Past_the_connection_cap_a_new_socket_gets_503_and_the_others_carry_on()
    {
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string> { ["Kefu__Limits__MaxConnections"] = "3" });
        var visitor = await Api.VisitorAsync(server.Http);
        var clients = new List<ProtocolClient>();
        for (var i = 0; i < 3; i++)
        {
            clients.Add((await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token)).Client);
        }
        var refused = await Assert.ThrowsAsync<WebSocketException>(() => ProtocolClient.ConnectAsync(server.WebSocketUri));
        Assert.Contains("503", refused.Message, StringComparison.Ordinal);
        var ack = await clients[0].SendTextAsync("still served");
        Assert.Equal(1L, (long)ack["seq"]!);
        using (var health = await server.Http.GetAsync(new Uri("healthz", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        }

        await clients[2].DisposeAsync();
        // The slot frees once the server has seen the close; a new connection then succeeds.
        ProtocolClient? fourth = null;
        for (var attempt = 0; attempt < 50 && fourth is null; attempt++)
        {
            try
            {
                fourth = await ProtocolClient.ConnectAsync(server.WebSocketUri);
            }
            catch (WebSocketException)
            {
                await Task.Delay(100);
            }
        }
        Assert.NotNull(fourth);
        await fourth.DisposeAsync();
        foreach (var c in clients.Take(2))
        {
            await c.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_flood_of_sockets_past_the_open_file_limit_is_refused_with_503_and_the_server_carries_on()
    {
        const int OpenFileLimit = 1000;
        const int FloodSize = 1500;
        await using var server = await ServerProcess.StartWithOpenFileLimitAsync(OpenFileLimit);
        var visitor = await Api.VisitorAsync(server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        await using var __ = client;

        // Sockets that connect and send nothing, more than the process may open files: a live server holds some
        // and must refuse at least FloodSize - OpenFileLimit of them.
        var flood = new List<Socket>();
        using var stopReading = new CancellationTokenSource();
        var refused = 0;
        var enoughRefused = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var reads = new List<Task>();
        try
        {
            for (var i = 0; i < FloodSize; i++)
            {
                var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                flood.Add(socket);
                await socket.ConnectAsync(IPAddress.Loopback, server.Port);
                reads.Add(ReadRefusalAsync(socket));
            }
            var waited = await Task.WhenAny(enoughRefused.Task, Task.Delay(TimeSpan.FromSeconds(60)));
            Assert.True(waited == enoughRefused.Task, $"Only {Volatile.Read(ref refused)} of {FloodSize} sockets were refused with 503; server exited: {server.HasExited}\n{server.Output}");

            // The server is alive and its clients are served while the flood holds what it may hold.
            var ack = await client.SendTextAsync("still served");
            Assert.Equal(1L, (long)ack["seq"]!);
        }
        finally
        {
            await stopReading.CancelAsync();
            foreach (var socket in flood)
            {
                socket.Dispose();
            }
            await Task.WhenAll(reads);
        }
        Assert.False(server.HasExited, server.Output);

        // Once the flood is gone its slots are free again: plain HTTP and a new WebSocket get through.
        var healthy = false;
        for (var attempt = 0; attempt < 100 && !healthy; attempt++)
        {
            using var health = await server.Http.GetAsync(new Uri("healthz", UriKind.Relative));
            healthy = health.StatusCode == HttpStatusCode.OK;
            if (!healthy)
            {
                await Task.Delay(100);
            }
        }
        Assert.True(healthy, server.Output);
        var (second, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        await second.DisposeAsync();

        async Task ReadRefusalAsync(Socket socket)
        {
            var buffer = new byte[64];
            var read = 0;
            try
            {
                while (read < 12)
                {
                    var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, stopReading.Token);
                    if (n == 0)
                    {
                        return;
                    }
                    read += n;
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            if (System.Text.Encoding.ASCII.GetString(buffer, 0, 12) == "HTTP/1.1 503" && Interlocked.Increment(ref refused) >= FloodSize - OpenFileLimit)
            {
                enoughRefused.TrySetResult();
            }
        }
    }

    [Fact]
    public async Task Two_servers_starting_at_once_on_one_data_folder_create_one_admin_and_one_site()
    {
        await using var first = await ServerProcess.StartAsync();
        first.Kill();
        Db.Execute(first.DatabasePath, "DELETE FROM team_members; DELETE FROM agents; DELETE FROM teams; DELETE FROM sites; DELETE FROM tenants; DELETE FROM settings;");
        var restarts = new[] { first.StartAgainAsync(), ServerProcess.StartSiblingAsync(first) };
        await Task.WhenAll(restarts);
        await using var sibling = ServerProcess.LastSibling!;
        Assert.Equal(1, Db.Scalar(first.DatabasePath, "SELECT COUNT(*) FROM tenants"));
        Assert.Equal(1, Db.Scalar(first.DatabasePath, "SELECT COUNT(*) FROM sites"));
        Assert.Equal(1, Db.Scalar(first.DatabasePath, "SELECT COUNT(*) FROM agents"));
        Assert.Equal(1, Db.Scalar(first.DatabasePath, "SELECT COUNT(*) FROM settings WHERE key = 'auth.signingKey'"));
        // A token issued by one node is valid on the other: they share the signing key through the store.
        var visitor = await Api.VisitorAsync(first.Http);
        var (client, _) = await ProtocolClient.HelloAsync(sibling.WebSocketUri, visitor.Token);
        await client.DisposeAsync();
    }

    [Fact]
    public async Task A_graceful_stop_closes_sockets_with_1001()
    {
        await using var server = await ServerProcess.StartAsync();
        var visitor = await Api.VisitorAsync(server.Http);
        var (client, _) = await ProtocolClient.HelloAsync(server.WebSocketUri, visitor.Token);
        await using var _ = client;
        var stopping = server.StopAsync();
        Assert.Equal(WebSocketCloseStatus.EndpointUnavailable, await client.WaitForCloseAsync(TimeSpan.FromSeconds(20)));
        await stopping;
    }

    [Fact]
    public async Task Without_urls_the_server_listens_on_ASPNETCORE_HTTP_PORTS()
    {
        await using var server = await ServerProcess.StartOnHttpPortsAsync();
        using var health = await server.Http.GetAsync(new Uri("readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Urls_win_over_ASPNETCORE_HTTP_PORTS()
    {
        var portsPort = ServerProcess.FreePort();
        await using var server = await ServerProcess.StartAsync(new Dictionary<string, string>
        {
            ["ASPNETCORE_HTTP_PORTS"] = portsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var health = await server.Http.GetAsync(new Uri("readyz", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        using var other = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        await Assert.ThrowsAsync<HttpRequestException>(() => other.GetAsync(new Uri($"http://127.0.0.1:{portsPort}/readyz")));
    }
}
