using System.Buffers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Kefu.LoadGen.Net;

/// <summary>
/// The client half of the RFC 6455 opening handshake, done by hand so that a connection costs a socket and a
/// few small objects instead of a ClientWebSocket with its HTTP stack and fixed buffers.
/// </summary>
internal static class WsHandshake
{
    private const string Guid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    /// <summary>Sends the upgrade request and reads the 101 response; returns bytes that followed the headers.</summary>
    public static async Task<byte[]> UpgradeAsync(Socket socket, string host, string path, string subProtocol, CancellationToken cancellationToken)
    {
        var keyBytes = new byte[16];
        RandomNumberGenerator.Fill(keyBytes);
        var key = Convert.ToBase64String(keyBytes);
        var request = $"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: {subProtocol}\r\n\r\n";
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, cancellationToken);

        var buffer = ArrayPool<byte>.Shared.Rent(4096);
        try
        {
            var length = 0;
            int headerEnd;
            while ((headerEnd = buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (length == buffer.Length)
                    throw new IOException("WebSocket handshake response too large");
                var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken);
                if (read == 0)
                    throw new IOException("Connection closed during the WebSocket handshake");
                length += read;
            }

            var head = Encoding.ASCII.GetString(buffer, 0, headerEnd);
            Validate(head, key, subProtocol);
            return buffer.AsSpan(headerEnd + 4, length - headerEnd - 4).ToArray();
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    internal static void Validate(string head, string key, string subProtocol)
    {
        var lines = head.Split("\r\n");
        if (lines.Length == 0 || !lines[0].StartsWith("HTTP/1.1 101", StringComparison.Ordinal))
            throw new IOException($"WebSocket upgrade refused: {(lines.Length > 0 ? lines[0] : "(empty)")}");

        // RFC 6455 defines the accept value with SHA-1; it is a handshake check, not security.
#pragma warning disable CA5350
        var expectedAccept = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + Guid)));
#pragma warning restore CA5350
        string? accept = null;
        string? protocol = null;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
                continue;
            var name = line[..colon].Trim();
            var value = line[(colon + 1)..].Trim();
            if (name.Equals("Sec-WebSocket-Accept", StringComparison.OrdinalIgnoreCase))
                accept = value;
            else if (name.Equals("Sec-WebSocket-Protocol", StringComparison.OrdinalIgnoreCase))
                protocol = value;
        }

        if (accept != expectedAccept)
            throw new IOException("WebSocket upgrade: wrong Sec-WebSocket-Accept");
        if (protocol != subProtocol)
            throw new IOException($"WebSocket upgrade: server chose subprotocol '{protocol}', expected '{subProtocol}'");
    }
}
