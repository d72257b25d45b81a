using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kefu.Server.Tests.Infrastructure;

/// <summary>PATCH requests whose connection is cut part-way through the body.</summary>
internal static class TusInterruptions
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Announces the whole remaining body, sends only <paramref name="part"/> of it and closes the socket's sending
    /// side (the client vanished mid-upload), then waits for the server to hang up.
    /// </summary>
    public static async Task CutAfterAsync(int port, string token, string path, long offset, long announced, ReadOnlyMemory<byte> part)
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port, cts.Token);
        var stream = tcp.GetStream();
        var head = string.Create(CultureInfo.InvariantCulture,
            $"PATCH /{path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer {token}\r\nTus-Resumable: 1.0.0\r\n" +
            $"Content-Type: application/offset+octet-stream\r\nUpload-Offset: {offset}\r\nContent-Length: {announced}\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), cts.Token);
        await stream.WriteAsync(part, cts.Token);
        await stream.FlushAsync(cts.Token);
        tcp.Client.Shutdown(SocketShutdown.Send);
        var sink = new byte[4096];
        try
        {
            while (await stream.ReadAsync(sink, cts.Token) > 0)
            {
                // Drains whatever the server answers until it closes the connection.
            }
        }
        catch (IOException)
        {
            // A reset is as good as a close here.
        }
    }

    /// <summary>An HttpClient PATCH that is cancelled after <paramref name="part"/> of the body went out.</summary>
    public static async Task AbortAfterAsync(HttpClient http, string token, string path, long offset, long announced, ReadOnlyMemory<byte> part)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var sent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var request = TusClient.Request(HttpMethod.Patch, path, token);
        request.Headers.Add("Upload-Offset", offset.ToString(CultureInfo.InvariantCulture));
        request.Content = new PartialContent(part, announced, sent);
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/offset+octet-stream");
        var send = http.SendAsync(request, cts.Token);
        await sent.Task.WaitAsync(Timeout);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => send);
    }

    private sealed class PartialContent(ReadOnlyMemory<byte> part, long announced, TaskCompletionSource sent) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            await stream.WriteAsync(part, cancellationToken);
            await stream.FlushAsync(cancellationToken);
            sent.TrySetResult();
            // The rest never comes: the request is cancelled while waiting here.
            await Task.Delay(System.Threading.Timeout.Infinite, cancellationToken);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = announced;
            return true;
        }
    }
}
