namespace Kefu.Server.Routing;

/// <summary>A message left through the leave-a-message form (outside business hours or when nobody answers).</summary>
internal sealed record OfflineMessage(string TenantId, string ConversationId, string VisitorId, string Name, string Contact);
