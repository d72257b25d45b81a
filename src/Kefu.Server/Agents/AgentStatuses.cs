namespace Kefu.Server.Agents;

/// <summary>An agent's status: <c>online</c> takes conversations, <c>away</c> keeps its own but takes no new ones, <c>offline</c> is gone.</summary>
internal static class AgentStatuses
{
    public const string Online = "online";
    public const string Away = "away";
    public const string Offline = "offline";

    public static bool IsKnown(string? status) => status is Online or Away or Offline;
}
