using System.Buffers;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Kefu.Core.Protocol;

namespace Kefu.Benchmarks;

/// <summary>The gateway's per-frame work: parse a client frame, serialize a server frame.</summary>
[MemoryDiagnoser]
public class FrameBenchmarks
{
    private readonly ArrayBufferWriter<byte> buffer = new(1024);
    private byte[] sendFrame = [];
    private byte[] pingFrame = [];
    private MessageFrame message = null!;
    private AckFrame ack = null!;

    [GlobalSetup]
    public void Setup()
    {
        sendFrame = Encoding.UTF8.GetBytes(
            """{"type":"send","rid":"r-1042","clientMsgId":"c-7f3a9e2b-1042","conversationId":"cv_01JD8Z6Q4W2M","kind":"text","text":"Hello, my order #12345 has not arrived yet, can you check?"}""");
        pingFrame = """{"type":"ping","rid":"p-1"}"""u8.ToArray();
        var created = new DateTimeOffset(2025, 11, 27, 14, 0, 0, TimeSpan.Zero);
        message = new MessageFrame("cv_01JD8Z6Q4W2M", 42, "m_01JD8Z7A1B2C", "c-7f3a9e2b-1042", new Sender("visitor", "v_01JD8Z5K", null),
            "text", "Hello, my order #12345 has not arrived yet, can you check?", null, null, created);
        ack = new AckFrame("r-1042", "c-7f3a9e2b-1042", "cv_01JD8Z6Q4W2M", "m_01JD8Z7A1B2C", 42, created);
    }

    [Benchmark]
    public ClientFrame? ParseSend() => JsonSerializer.Deserialize(sendFrame, ProtocolJsonContext.Default.ClientFrame);

    [Benchmark]
    public ClientFrame? ParsePing() => JsonSerializer.Deserialize(pingFrame, ProtocolJsonContext.Default.ClientFrame);

    [Benchmark]
    public int SerializeMessage()
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer);
        JsonSerializer.Serialize(writer, message, ProtocolJsonContext.Default.MessageFrame);
        return buffer.WrittenCount;
    }

    [Benchmark]
    public int SerializeAck()
    {
        buffer.ResetWrittenCount();
        using var writer = new Utf8JsonWriter(buffer);
        JsonSerializer.Serialize(writer, ack, ProtocolJsonContext.Default.AckFrame);
        return buffer.WrittenCount;
    }
}
