using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Kefu.Core.Protocol;
using Kefu.Server.Hosting;
using Microsoft.Extensions.Options;

namespace Kefu.Server.Realtime;

/// <summary>
/// One receive loop per connection. Between frames it waits with a zero-byte read, so an idle connection
/// holds no receive buffer; a frame is read into a pooled buffer that goes back as soon as it is parsed.
/// A failure ends this connection only.
/// </summary>
internal sealed partial class ConnectionLoop(
    ConnectionRegistry registry,
    FrameDispatcher dispatcher,
    IOptions<LimitsOptions> limits,
    TimeProvider time,
    ILogger<ConnectionLoop> logger)
{
    private const int InitialBufferBytes = 4096;

    public async Task RunAsync(ClientConnection connection, CancellationToken stopping)
    {
        registry.Track(connection);
        var socket = connection.Socket;
        try
        {
            while (socket.State == WebSocketState.Open && !connection.IsClosing)
            {
                var peek = await socket.ReceiveAsync(Memory<byte>.Empty, stopping);
                if (peek.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
                if (!await ReceiveFrameAsync(connection, peek, stopping))
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // The client went away or the node is stopping: the client will resume.
        }
        catch (Exception ex)
        {
            LogLoopFailed(logger, connection.Id, ex);
            connection.Abort();
        }
        finally
        {
            await dispatcher.DisconnectedAsync(connection);
        }
    }

    /// <summary>Reads one whole message and hands it to the dispatcher; false when the connection must end.</summary>
    private async Task<bool> ReceiveFrameAsync(ClientConnection connection, ValueWebSocketReceiveResult peek, CancellationToken stopping)
    {
        var max = limits.Value.MaxFrameBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferBytes);
        var count = 0;
        var tooLarge = false;
        var type = peek.MessageType;
        try
        {
            var end = peek.EndOfMessage;
            while (!end)
            {
                if (count == buffer.Length)
                {
                    if (buffer.Length > max)
                    {
                        // Over the limit: keep reading to the end of the message, but keep none of it.
                        tooLarge = true;
                        count = 0;
                    }
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, max + 1));
                        buffer.AsSpan(0, count).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }
                var result = await connection.Socket.ReceiveAsync(buffer.AsMemory(count), stopping);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return false;
                }
                type = result.MessageType;
                count += result.Count;
                end = result.EndOfMessage;
            }
            var now = time.GetTimestampMs();
            connection.MarkReceived(now);
            if (tooLarge || count > max)
            {
                return Reject(connection, null, ErrorCodes.TooLarge, $"A frame may have at most {max} bytes.", now);
            }
            if (type != WebSocketMessageType.Text)
            {
                return Reject(connection, null, ErrorCodes.BadFrame, "Frames are UTF-8 JSON text.", now);
            }
            ClientFrame? frame;
            try
            {
                frame = JsonSerializer.Deserialize(buffer.AsSpan(0, count), ProtocolJsonContext.Default.ClientFrame);
            }
            catch (JsonException)
            {
                return Reject(connection, null, ErrorCodes.BadFrame, "Not a JSON object of protocol v1.", now);
            }
            if (frame?.Type is null)
            {
                return Reject(connection, frame?.Rid, ErrorCodes.BadFrame, "A frame needs a type.", now);
            }
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
            return await dispatcher.DispatchAsync(connection, frame, now);
        }
        finally
        {
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private bool Reject(ClientConnection connection, string? rid, string code, string message, long now) =>
        dispatcher.Reject(connection, rid, code, message, now);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Connection {ConnectionId} failed")]
    private static partial void LogLoopFailed(ILogger logger, long connectionId, Exception exception);
}
