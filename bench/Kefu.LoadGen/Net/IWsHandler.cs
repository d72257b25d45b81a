namespace Kefu.LoadGen.Net;

/// <summary>Receives what a <see cref="WsConnection"/> reads, on the thread that completed the read.</summary>
internal interface IWsHandler
{
    void OnText(ReadOnlySpan<byte> payload);

    /// <summary>Called once, when the connection ends for any reason.</summary>
    void OnClosed(WsConnection connection, Exception? error, int? closeCode);
}
