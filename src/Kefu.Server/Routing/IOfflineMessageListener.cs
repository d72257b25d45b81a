namespace Kefu.Server.Routing;

/// <summary>Hears of every message left through the form: the hook for the notifications feature (email, IM bots).</summary>
internal interface IOfflineMessageListener
{
    Task OnOfflineMessageAsync(OfflineMessage message, CancellationToken cancellationToken);
}
