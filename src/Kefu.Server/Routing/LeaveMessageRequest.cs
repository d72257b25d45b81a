namespace Kefu.Server.Routing;

/// <summary>The leave-a-message form: who (name), how to answer (contact: email or phone) and the message.</summary>
internal sealed record LeaveMessageRequest(string? Name, string? Contact, string? Message);
