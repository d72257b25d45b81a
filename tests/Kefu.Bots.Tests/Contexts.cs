using Kefu.Core.Bots;

namespace Kefu.Bots.Tests;

internal static class Contexts
{
    public static BotContext Ask(string question, string siteId = "s1", string? teamId = null, string conversationId = "c1") =>
        new("t1", siteId, "v1", "Visitor", [], question, teamId, conversationId);
}
