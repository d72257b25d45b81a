namespace Kefu.Core.Bots;

/// <summary>The message shape a reply is sent as; maps to the protocol's message kinds.</summary>
public enum BotReplyKind
{
    /// <summary>A <c>text</c> message.</summary>
    Text,

    /// <summary>A <c>quickReplies</c> message: text plus buttons.</summary>
    QuickReplies,

    /// <summary>A <c>card</c> message.</summary>
    Card,
}
