using System.Buffers;
using System.Net;
using System.Net.Sockets;

namespace Kefu.LoadGen.Net;

/// <summary>
/// A lean client WebSocket over a raw socket. While idle it holds no buffer: it waits with a zero-byte read
/// and rents a buffer only when data has arrived, so ten thousand idle connections cost little more than
/// their sockets.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "The send lock never allocates its wait handle, so it needs no disposal.")]
internal sealed class WsConnection
{
    private const int ReadSize = 16 * 1024;
    private static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Shared;

    private readonly Socket socket;
    private readonly IWsHandler handler;
    private readonly SemaphoreSlim sendLock = new(1, 1);
    private byte[]? carry;
    private int carryLength;
    private int carryNeed;
    private ArrayBufferWriter<byte>? fragments;
    private int aborted;

    private WsConnection(Socket socket, IWsHandler handler, byte[] initial)
    {
        this.socket = socket;
        this.handler = handler;
        if (initial.Length > 0)
        {
            carry = initial;
            carryLength = initial.Length;
        }
    }

    public static async Task<WsConnection> ConnectAsync(
        IPEndPoint server, IPAddress? source, string path, string subProtocol, IWsHandler handler, CancellationToken cancellationToken)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            if (source is not null)
            {
                // IP_BIND_ADDRESS_NO_PORT: pick the source port at connect time, by 4-tuple, so a source address is
                // not limited to one ephemeral range per bind.
                socket.SetRawSocketOption(0 /* SOL_IP */, 24, BitConverter.GetBytes(1));
                socket.Bind(new IPEndPoint(source, 0));
            }

            await socket.ConnectAsync(server, cancellationToken);
            var initial = await WsHandshake.UpgradeAsync(socket, server.ToString(), path, subProtocol, cancellationToken);
            var connection = new WsConnection(socket, handler, initial);
            _ = connection.ReceiveLoopAsync();
            return connection;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public bool IsAborted => Volatile.Read(ref aborted) != 0;

    public async ValueTask SendTextAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
        => await SendFrameAsync(WsOpcode.Text, payload, cancellationToken);

    /// <summary>Drops the connection with a TCP reset, like a network failure: no close handshake, no TIME_WAIT.</summary>
    public void Abort()
    {
        if (Interlocked.Exchange(ref aborted, 1) != 0)
            return;
        try
        {
            socket.LingerState = new LingerOption(true, 0);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        socket.Dispose();
    }

    private async ValueTask SendFrameAsync(WsOpcode opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var frame = Pool.Rent(payload.Length + WsFrameCodec.MaxClientHeader);
        try
        {
            var length = WsFrameCodec.WriteClientFrame(frame, opcode, payload.Span, (uint)Environment.TickCount64 * 2654435761u);
            await sendLock.WaitAsync(cancellationToken);
            try
            {
                var sent = 0;
                while (sent < length)
                    sent += await socket.SendAsync(frame.AsMemory(sent, length - sent), SocketFlags.None, cancellationToken);
            }
            finally
            {
                sendLock.Release();
            }
        }
        finally
        {
            Pool.Return(frame);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        int? closeCode = null;
        try
        {
            while (closeCode is null)
            {
                if (carryLength == 0)
                    await socket.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None);

                var buffer = Pool.Rent(Math.Max(ReadSize, Math.Max(carryLength, carryNeed) + 1024));
                var length = 0;
                if (carry is not null)
                {
                    carry.AsSpan(0, carryLength).CopyTo(buffer);
                    length = carryLength;
                    Pool.Return(carry);
                    carry = null;
                    carryLength = 0;
                }

                try
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None);
                    if (read == 0)
                        break;
                    length += read;
                    var consumed = Process(buffer.AsSpan(0, length), out carryNeed, out closeCode);
                    if (consumed < length && closeCode is null)
                    {
                        carryLength = length - consumed;
                        carry = Pool.Rent(carryLength);
                        buffer.AsSpan(consumed, carryLength).CopyTo(carry);
                    }
                }
                finally
                {
                    Pool.Return(buffer);
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            error = IsAborted ? null : ex;
        }
        finally
        {
            Interlocked.Exchange(ref aborted, 1);
            socket.Dispose();
            if (carry is not null)
            {
                Pool.Return(carry);
                carry = null;
            }

            handler.OnClosed(this, error, closeCode);
        }
    }

    private int Process(ReadOnlySpan<byte> data, out int need, out int? closeCode)
    {
        var consumed = 0;
        need = 0;
        closeCode = null;
        while (WsFrameCodec.TryReadFrame(data[consumed..], out var fin, out var opcode, out var offset, out var length, out var total))
        {
            var payload = data.Slice(consumed + offset, length);
            consumed += total;
            switch (opcode)
            {
                case WsOpcode.Text or WsOpcode.Binary when fin && fragments is null:
                    handler.OnText(payload);
                    break;
                case WsOpcode.Text or WsOpcode.Binary or WsOpcode.Continuation:
                    fragments ??= new ArrayBufferWriter<byte>(length * 2);
                    fragments.Write(payload);
                    if (fin)
                    {
                        handler.OnText(fragments.WrittenSpan);
                        fragments = null;
                    }

                    break;
                case WsOpcode.Ping:
                    _ = SendControlAsync(WsOpcode.Pong, payload.ToArray());
                    break;
                case WsOpcode.Close:
                    closeCode = length >= 2 ? (payload[0] << 8) | payload[1] : 1005;
                    _ = SendControlAsync(WsOpcode.Close, payload.Length >= 2 ? payload[..2].ToArray() : []);
                    return consumed;
                default:
                    break;
            }
        }

        var rest = data[consumed..];
        if (rest.Length > 0)
        {
            WsFrameCodec.TryReadFrame(rest, out _, out _, out _, out _, out need);
        }

        return consumed;
    }

    private async Task SendControlAsync(WsOpcode opcode, byte[] payload)
    {
        try
        {
            await SendFrameAsync(opcode, payload, CancellationToken.None);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException or IOException)
        {
            // The connection is going away; the receive loop reports it.
        }
    }
}
