#include "temporal/grpcstatus.h"

#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/message.h>
#include <google/protobuf/wire_format_lite.h>

namespace Nebula::Temporal {

using google::protobuf::io::CodedInputStream;
using google::protobuf::io::CodedOutputStream;
using google::protobuf::io::StringOutputStream;
using google::protobuf::internal::WireFormatLite;

grpc::Status makeStatus(grpc::StatusCode code, const std::string &message,
                        const google::protobuf::Message *detail)
{
    if (!detail)
        return grpc::Status(code, message);
    google::protobuf::Any any;
    any.PackFrom(*detail);
    any.ByteSizeLong(); // WriteMessage() writes the cached size: compute it first
    std::string encoded;
    {
        StringOutputStream raw(&encoded);
        CodedOutputStream out(&raw);
        WireFormatLite::WriteInt32(1, static_cast<int>(code), &out);
        WireFormatLite::WriteString(2, message, &out);
        WireFormatLite::WriteMessage(3, any, &out);
    }
    return grpc::Status(code, message, encoded);
}

std::vector<google::protobuf::Any> statusDetails(const grpc::Status &status)
{
    std::vector<google::protobuf::Any> out;
    const std::string &bytes = status.error_details();
    if (bytes.empty())
        return out;
    CodedInputStream in(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                        static_cast<int>(bytes.size()));
    while (const auto tag = in.ReadTag()) {
        if (WireFormatLite::GetTagFieldNumber(tag) == 3
            && WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
            google::protobuf::Any any;
            if (!WireFormatLite::ReadMessage(&in, &any))
                return out;
            out.push_back(std::move(any));
        } else if (!WireFormatLite::SkipField(&in, tag)) {
            return out;
        }
    }
    return out;
}

std::string firstDetailTypeName(const grpc::Status &status)
{
    const auto details = statusDetails(status);
    if (details.empty())
        return {};
    const std::string &url = details.front().type_url();
    const auto slash = url.rfind('/');
    const std::string full = slash == std::string::npos ? url : url.substr(slash + 1);
    const auto dot = full.rfind('.');
    return dot == std::string::npos ? full : full.substr(dot + 1);
}

} // namespace Nebula::Temporal
