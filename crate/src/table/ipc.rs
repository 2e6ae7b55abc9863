//! Arrow IPC bytes ↔ [`Table`].

use arrow_array::RecordBatch;
use arrow_buffer::Buffer;
use arrow_ipc::reader::{FileDecoder, StreamDecoder};
use arrow_ipc::writer::StreamWriter;

use super::Table;
use crate::error::{Error, Result};

/// The magic bytes that open (and close) an Arrow IPC *file*.
const FILE_MAGIC: &[u8] = b"ARROW1";

/// Reads Arrow IPC bytes in either the stream format (what `tableToIPC(t)`, pyarrow's
/// `ipc.new_stream` and DuckDB-wasm produce) or the file format (Feather v2, `.arrow` files).
///
/// Column buffers are not copied: batches point into `bytes`. Compressed IPC is not
/// supported (the codecs would pull C code into the wasm build); such input fails with an
/// error saying so.
///
/// Every message is checked before decoding (flatbuffer verified, every buffer inside its
/// body), so corrupt or hostile bytes give an error rather than a panic — in wasm a panic is
/// an opaque trap.
pub fn read_ipc(mut bytes: Vec<u8>) -> Result<Table> {
    if bytes.is_empty() {
        return Err(Error::invalid_table(
            "the Arrow IPC input is empty (0 bytes)",
        ));
    }
    if bytes.starts_with(FILE_MAGIC) {
        return read_file(bytes);
    }
    let mut pos = 0;
    while pos < bytes.len() {
        match validate_message(&mut bytes[pos..])? {
            Some(len) => pos += len,
            None => {
                pos += if bytes[pos..].starts_with(&[0xff; 4]) {
                    8
                } else {
                    4
                };
                break;
            }
        }
    }
    let buffer = Buffer::from_vec(bytes).slice_with_length(0, pos);
    read_stream(buffer)
}

fn bad(what: &str) -> Error {
    Error::invalid_table(format!("not readable as Arrow IPC: {what}"))
}

/// Checks the message at the start of `bytes` as far as the decoder trusts it: a verified
/// flatbuffer header, a body inside the input, and every buffer inside its body. Returns the
/// message's length (header + body), or `None` at an end-of-stream marker.
///
/// It also rounds each buffer's recorded length up to the 8-byte padding the IPC format
/// requires (staying inside the body): arrow-data 60.1 asserts, rather than checks, that a
/// fixed-width buffer's length is a multiple of its element width, so a corrupt length would
/// otherwise panic. Arrays never read past the lengths their nodes declare, so a longer
/// buffer changes nothing for valid input.
fn validate_message(bytes: &mut [u8]) -> Result<Option<usize>> {
    let read_i32 = |b: &[u8], at: usize| -> Option<i32> {
        Some(i32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
    };
    let mut len = read_i32(bytes, 0).ok_or_else(|| bad("truncated message length"))?;
    let mut header: usize = 4;
    if len == -1 {
        len = read_i32(bytes, 4).ok_or_else(|| bad("truncated message length"))?;
        header = 8;
    }
    if len == 0 {
        return Ok(None);
    }
    let meta_end = usize::try_from(len)
        .ok()
        .and_then(|l| header.checked_add(l))
        .filter(|&end| end <= bytes.len())
        .ok_or_else(|| bad("a message header runs past the end of the input"))?;
    let message = arrow_ipc::root_as_message(&bytes[header..meta_end])
        .map_err(|e| bad(&format!("a message header is corrupt ({e})")))?;
    let body_len = usize::try_from(message.bodyLength())
        .ok()
        .filter(|&l| {
            meta_end
                .checked_add(l)
                .is_some_and(|end| end <= bytes.len())
        })
        .ok_or_else(|| bad("a message body runs past the end of the input"))?;
    let batch = message
        .header_as_record_batch()
        .or_else(|| message.header_as_dictionary_batch().and_then(|d| d.data()));
    // (position of the length field, padded length) of every buffer to rewrite.
    let mut fixes = Vec::new();
    if let Some(buffers) = batch.and_then(|b| b.buffers()) {
        let table_at = buffers.bytes().as_ptr() as usize - bytes.as_ptr() as usize;
        for (i, buf) in buffers.iter().enumerate() {
            let (offset, length) = usize::try_from(buf.offset())
                .ok()
                .zip(usize::try_from(buf.length()).ok())
                .filter(|&(o, l)| o.checked_add(l).is_some_and(|end| end <= body_len))
                .ok_or_else(|| bad("a buffer lies outside its message body"))?;
            let padded = length.next_multiple_of(8).min(body_len - offset);
            if padded != length {
                // A flatbuffers `Buffer` struct is { offset: i64, length: i64 }.
                fixes.push((table_at + i * 16 + 8, padded));
            }
        }
    }
    for (at, padded) in fixes {
        bytes[at..at + 8].copy_from_slice(&(padded as i64).to_le_bytes());
    }
    Ok(Some(meta_end + body_len))
}

/// Reads the IPC file format through its footer: the schema, then each dictionary and record
/// batch block, every block checked like a stream message first.
fn read_file(mut bytes: Vec<u8>) -> Result<Table> {
    let truncated = || Error::invalid_table("the Arrow IPC file is truncated (no footer)");
    let n = bytes.len();
    if n < 8 + 10 || !bytes.ends_with(FILE_MAGIC) {
        return Err(truncated());
    }
    let footer_len = i32::from_le_bytes([bytes[n - 10], bytes[n - 9], bytes[n - 8], bytes[n - 7]]);
    let footer_start = usize::try_from(footer_len)
        .ok()
        .and_then(|len| (n - 10).checked_sub(len))
        .filter(|&start| start >= 8)
        .ok_or_else(truncated)?;
    let (schema, version, dictionaries, batches) = {
        let footer = arrow_ipc::root_as_footer(&bytes[footer_start..n - 10])
            .map_err(|e| bad(&format!("the file footer is corrupt ({e})")))?;
        let schema = footer
            .schema()
            .ok_or_else(|| bad("the file footer has no schema"))?;
        let schema = arrow_ipc::convert::try_fb_to_schema(schema).map_err(ipc_error)?;
        let dictionaries: Vec<arrow_ipc::Block> = footer
            .dictionaries()
            .map(|v| v.iter().copied().collect())
            .unwrap_or_default();
        let batches: Vec<arrow_ipc::Block> = footer
            .recordBatches()
            .map(|v| v.iter().copied().collect())
            .unwrap_or_default();
        (
            std::sync::Arc::new(schema),
            footer.version(),
            dictionaries,
            batches,
        )
    };
    let mut ranges = Vec::with_capacity(dictionaries.len() + batches.len());
    for block in dictionaries.iter().chain(&batches) {
        let range = usize::try_from(block.offset())
            .ok()
            .zip(usize::try_from(block.metaDataLength()).ok())
            .zip(usize::try_from(block.bodyLength()).ok())
            .and_then(|((o, m), b)| Some(o..o.checked_add(m)?.checked_add(b)?))
            .filter(|r| r.start >= 8 && r.end <= footer_start)
            .ok_or_else(|| bad("a file block lies outside the file"))?;
        if validate_message(&mut bytes[range.clone()])? != Some(range.len()) {
            return Err(bad("a file block's lengths disagree with its message"));
        }
        ranges.push(range);
    }
    let buffer = Buffer::from_vec(bytes);
    let mut decoder = FileDecoder::new(schema.clone(), version);
    let (dict_ranges, batch_ranges) = ranges.split_at(dictionaries.len());
    for (block, range) in dictionaries.iter().zip(dict_ranges) {
        let buf = buffer.slice_with_length(range.start, range.len());
        decoder.read_dictionary(block, &buf).map_err(ipc_error)?;
    }
    let mut out = Vec::with_capacity(batches.len());
    for (block, range) in batches.iter().zip(batch_ranges) {
        let buf = buffer.slice_with_length(range.start, range.len());
        if let Some(batch) = decoder.read_record_batch(block, &buf).map_err(ipc_error)? {
            out.push(batch);
        }
    }
    Table::new(schema, out)
}

fn read_stream(mut buffer: Buffer) -> Result<Table> {
    let mut decoder = StreamDecoder::new();
    let mut batches = Vec::new();
    while !buffer.is_empty() {
        match decoder.decode(&mut buffer).map_err(ipc_error)? {
            Some(batch) => batches.push(batch),
            None => break,
        }
    }
    decoder.finish().map_err(ipc_error)?;
    let schema = decoder
        .schema()
        .ok_or_else(|| Error::invalid_table("the Arrow IPC stream has no schema message"))?;
    Table::new(schema, batches)
}

fn ipc_error(err: arrow_schema::ArrowError) -> Error {
    Error::invalid_table(format!("not readable as Arrow IPC (stream or file): {err}"))
}

/// Writes record batches sharing `schema` as Arrow IPC *stream* bytes (what
/// `tableFromIPC` in apache-arrow JS and `pyarrow.ipc.open_stream` read).
pub fn write_ipc_stream(schema: &arrow_schema::Schema, batches: &[RecordBatch]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    {
        let mut writer = StreamWriter::try_new(&mut out, schema)?;
        for batch in batches {
            writer.write(batch)?;
        }
        writer.finish()?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use arrow_array::{ArrayRef, Int64Array, StringArray};
    use arrow_ipc::writer::FileWriter;
    use arrow_schema::{DataType, Field, Schema};

    use super::*;

    fn sample() -> (Arc<Schema>, RecordBatch) {
        let schema = Arc::new(Schema::new(vec![
            Field::new("name", DataType::Utf8, true),
            Field::new("n", DataType::Int64, false),
        ]));
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec![Some("a"), None])) as ArrayRef,
                Arc::new(Int64Array::from(vec![1, 2])),
            ],
        )
        .unwrap();
        (schema, batch)
    }

    #[test]
    fn stream_round_trip() {
        let (schema, batch) = sample();
        let bytes = write_ipc_stream(&schema, &[batch.clone(), batch.clone()]).unwrap();
        let table = read_ipc(bytes).unwrap();
        assert_eq!(table.num_rows(), 4);
        assert_eq!(table.batches()[1], batch);
    }

    #[test]
    fn file_format_is_detected() {
        let (schema, batch) = sample();
        let mut bytes = Vec::new();
        let mut writer = FileWriter::try_new(&mut bytes, &schema).unwrap();
        writer.write(&batch).unwrap();
        writer.finish().unwrap();
        drop(writer);
        let table = read_ipc(bytes).unwrap();
        assert_eq!(table.batches(), &[batch]);
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert_eq!(read_ipc(vec![]).unwrap_err().code(), "invalid-table");
        let err = read_ipc(b"hello, this is not arrow at all".to_vec()).unwrap_err();
        assert_eq!(err.code(), "invalid-table");
        assert!(
            err.to_string()
                .starts_with("invalid table: not readable as Arrow IPC"),
            "{err}"
        );
    }

    /// Every truncation and many single-byte corruptions of a valid stream either read or
    /// fail with an error; none may panic (a panic in wasm is an opaque trap).
    #[test]
    fn corrupted_streams_never_panic() {
        let (schema, batch) = sample();
        let good = write_ipc_stream(&schema, &[batch]).unwrap();
        for len in 0..good.len() {
            let cut = good[..len].to_vec();
            let outcome = std::panic::catch_unwind(|| read_ipc(cut).map(|t| t.num_rows()));
            assert!(outcome.is_ok(), "panic on truncation to {len} bytes");
        }
        for pos in 0..good.len() {
            for byte in [0x00, 0xff, 0x7f, 0x80] {
                let mut bad = good.clone();
                bad[pos] = byte;
                let outcome = std::panic::catch_unwind(|| read_ipc(bad).map(|t| t.num_rows()));
                assert!(outcome.is_ok(), "panic with byte {byte:#x} at {pos}");
            }
        }
    }
}
