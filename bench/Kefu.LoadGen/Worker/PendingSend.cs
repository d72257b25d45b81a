namespace Kefu.LoadGen.Worker;

/// <summary>A send awaiting its ack; kept with its frame so a reconnect retries it with the same clientMsgId.</summary>
internal sealed record PendingSend(long IntendedTicks, byte[] Frame);
