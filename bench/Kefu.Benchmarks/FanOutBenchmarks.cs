using System.Text.Json;
using System.Threading.Channels;
using BenchmarkDotNet.Attributes;
using Kefu.Core.Protocol;

namespace Kefu.Benchmarks;

/// <summary>
/// Delivering one message to N connections: serialize once, then hand the same bytes to each connection's
/// bounded send queue (compared with serializing per recipient).
/// </summary>
[MemoryDiagnoser]
public class FanOutBenchmarks
{
    private Channel<ReadOnlyMemory<byte>>[] queues = [];
    private MessageFrame message = null!;

    [Params(1, 10, 100)]
    public int Recipients { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        queues = new Channel<ReadOnlyMemory<byte>>[Recipients];
        for (var i = 0; i < Recipients; i++)
        {
            queues[i] = Channel.CreateBounded<ReadOnlyMemory<byte>>(new BoundedChannelOptions(1024)
            {
                SingleReader = true,
                FullMode = BoundedChannelFullMode.DropWrite,
            });
        }

        message = new MessageFrame("cv_01JD8Z6Q4W2M", 42, "m_01JD8Z7A1B2C", "c-7f3a9e2b-1042", new Sender("agent", "a_01JD8Z5K", "Lin"),
            "text", "Thanks for waiting, your parcel left the warehouse this morning.", null, null, DateTimeOffset.UnixEpoch);
    }

    [Benchmark(Baseline = true)]
    public int SerializeOnceCopyToQueues()
    {
        ReadOnlyMemory<byte> bytes = JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJsonContext.Default.MessageFrame);
        var delivered = 0;
        foreach (var queue in queues)
        {
            if (queue.Writer.TryWrite(bytes))
                delivered++;
        }

        Drain();
        return delivered;
    }

    [Benchmark]
    public int SerializePerRecipient()
    {
        var delivered = 0;
        foreach (var queue in queues)
        {
            if (queue.Writer.TryWrite(JsonSerializer.SerializeToUtf8Bytes(message, ProtocolJsonContext.Default.MessageFrame)))
                delivered++;
        }

        Drain();
        return delivered;
    }

    // Each connection's send loop would take the frame; emptying keeps the queues from filling across iterations.
    private void Drain()
    {
        foreach (var queue in queues)
        {
            while (queue.Reader.TryRead(out _))
            {
            }
        }
    }
}
