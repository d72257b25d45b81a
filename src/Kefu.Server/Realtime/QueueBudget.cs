namespace Kefu.Server.Realtime;

/// <summary>
/// When a client counts as too slow: its send queue is over <see cref="Frames"/> or <see cref="Bytes"/> and has
/// made no progress for <see cref="StallMs"/>, or it is over <see cref="HardFactor"/> times either. A group
/// commit queues bursts at once, so a client that keeps reading rides them out; one that stopped does not.
/// </summary>
internal readonly record struct QueueBudget(int Frames, int Bytes, long StallMs)
{
    public const int HardFactor = 16;
}
