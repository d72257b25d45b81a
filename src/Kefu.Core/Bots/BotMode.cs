namespace Kefu.Core.Bots;

/// <summary>Who serves a site's new conversations first.</summary>
public enum BotMode
{
    /// <summary>Straight to the routing queue; the bot never answers.</summary>
    HumanFirst,

    /// <summary>The bot answers until it hands over (on request or after repeated failures).</summary>
    BotFirst,

    /// <summary>The bot answers only while no agent of the conversation's team is available, and hands over when one is.</summary>
    BotWhenNoAgent,
}
