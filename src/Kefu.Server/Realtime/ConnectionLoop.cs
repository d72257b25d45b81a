using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using Kefu.Core.Diagnostics;
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
            // After the server asks to close, the loop keeps reading (and ignoring) until the client's close
            // arrives, so the close frame with its code is delivered; the sweeper aborts a client that never answers.
            while (socket.State is WebSocketState.Open or WebSocketState.CloseSent)
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

    /// <summary>Reads one whole message and hands it to the dispatcher; false when the client closed.</summary>
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
            if (connection.IsClosing)
            {
                return true;
            }
            connection.MarkReceived(now);
            if (tooLarge || count > max)
            {
                Reject(connection, null, ErrorCodes.TooLarge, $"A frame may have at most {max} bytes.", now);
                return true;
            }
            if (type != WebSocketMessageType.Text)
            {
                Reject(connection, null, ErrorCodes.BadFrame, "Frames are UTF-8 JSON text.", now);
                return true;
            }
            ClientFrame? frame;
            try
            {
                frame = JsonSerializer.Deserialize(buffer.AsSpan(0, count), ProtocolJsonContext.Default.ClientFrame);
            }
            catch (JsonException)
            {
                Reject(connection, null, ErrorCodes.BadFrame, "Not a JSON object of protocol v1.", now);
                return true;
            }
            if (frame?.Type is null)
            {
                Reject(connection, frame?.Rid, ErrorCodes.BadFrame, "A frame needs a type.", now);
                return true;
            }
            ArrayPool<byte>.Shared.Return(buffer);
            buffer = [];
            KefuMetrics.FramesReceived.Add(1);
            registry.CountFrame(frame.Type);
            // A false answer means the dispatcher asked to close; the loop reads on until the client's close.
            await dispatcher.DispatchAsync(connection, frame, now);
            return true;
        }
        finally
        {
            if (buffer.Length > 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    private void Reject(ClientConnection connection, string? rid, string code, string message, long now) =>
        dispatcher.Reject(connection, rid, code, message, now);

    [LoggerMessage(EventId = 201, Level = LogLevel.Error, Message = "Connection {ConnectionId} failed")]
    private static partial void LogLoopFailed(ILogger logger, long connectionId, Exception exception);
}
