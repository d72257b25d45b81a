namespace Kefu.Core.Protocol;

public static class Roles
{
    public const string Visitor = "visitor";
    public const string Agent = "agent";
}

public static class SenderTypes
{
    public const string Visitor = "visitor";
    public const string Agent = "agent";
    public const string Bot = "bot";
    public const string System = "system";
}

public static class ConversationStatuses
{
    public const string Bot = "bot";
    public const string Queued = "queued";
    public const string Open = "open";
    public const string Closed = "closed";
}

public static class MessageKinds
{
    public const string Text = "text";
    public const string Image = "image";
    public const string File = "file";
    public const string Voice = "voice";
    public const string Card = "card";
    public const string QuickReplies = "quickReplies";
    public const string Event = "event";
    public const string Hidden = "hidden";
}

public static class ReceiptKinds
{
    public const string Delivered = "delivered";
    public const string Read = "read";
}
