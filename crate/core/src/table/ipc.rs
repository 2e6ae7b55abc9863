//! Arrow IPC bytes ↔ [`Table`].
//!
//! Reading is lazy by column: [`open_ipc`] reads the schema, the dictionaries and every record
//! batch's header, and a column's buffers are read (and decoded) when [`Table::column`] first
//! asks for it. A process tree reads 7 to 11 of MDE's 60 columns, so from a page the other
//! columns are never copied into wasm memory unless the caller asks for the tree as a table.

use std::collections::{HashMap, VecDeque};
use std::ops::Range;
use std::rc::Rc;
use std::sync::Arc;

use arrow_array::{ArrayRef, RecordBatch};
use arrow_buffer::{Buffer, MutableBuffer};
use arrow_ipc::writer::StreamWriter;
use arrow_ipc::{MessageHeader, MetadataVersion};
use arrow_schema::{DataType, Schema, SchemaRef, UnionMode};

use super::Table;
use crate::error::{Error, Result};

/// The magic bytes that open (and close) an Arrow IPC *file*.
const FILE_MAGIC: &[u8] = b"ARROW1";

/// Where Arrow IPC bytes are read from, range by range: memory already in place (a
/// [`Buffer`], sliced without copying) or, in the bindings, a JS `Uint8Array` copied piece by
/// piece into wasm memory.
pub trait ByteSource {
    /// Length in bytes.
    fn size(&self) -> usize;
    /// Copies the bytes at `at..at + out.len()` into `out`; an error when the source no longer
    /// holds them (a JS buffer can be detached or resized after it was opened).
    fn read_into(&self, at: usize, out: &mut [u8]) -> Result<()>;
    /// The bytes as one buffer when they already are in memory (then nothing is copied).
    fn in_place(&self) -> Option<&Buffer> {
        None
    }
}

impl ByteSource for Buffer {
    fn size(&self) -> usize {
        self.len()
    }

    fn read_into(&self, at: usize, out: &mut [u8]) -> Result<()> {
        let bytes = at
            .checked_add(out.len())
            .and_then(|end| self.as_slice().get(at..end))
            .ok_or_else(|| bad("a range lies outside the input"))?;
        out.copy_from_slice(bytes);
        Ok(())
    }

    fn in_place(&self) -> Option<&Buffer> {
        Some(self)
    }
}

/// `range` of `source`, as a buffer.
fn read(source: &dyn ByteSource, range: Range<usize>) -> Result<Buffer> {
    if let Some(buffer) = source.in_place() {
        if range.start > range.end || range.end > buffer.len() {
            return Err(bad("a range lies outside the input"));
        }
        return Ok(buffer.slice_with_length(range.start, range.len()));
    }
    let mut out = MutableBuffer::from_len_zeroed(range.len());
    source.read_into(range.start, out.as_slice_mut())?;
    Ok(out.into())
}

/// Reads Arrow IPC bytes in either the stream format (what `tableToIPC(t)`, pyarrow's
/// `ipc.new_stream` and DuckDB-wasm produce) or the file format (Feather v2, `.arrow` files).
///
/// Column buffers are not copied: arrays point into `bytes`. See [`open_ipc`].
pub fn read_ipc(bytes: Vec<u8>) -> Result<Table> {
    open_ipc(Rc::new(Buffer::from_vec(bytes)))
}

/// Opens Arrow IPC bytes (stream or file format) as a table whose columns are read from
/// `source` when first used.
///
/// Compressed IPC is not supported (the codecs would pull C code into the wasm build): such
/// input fails with an error saying so. Every message header is verified and every buffer
/// checked to lie inside its body before anything is decoded, and decoding validates the
/// data, so corrupt or hostile bytes give an error rather than a panic (in wasm a panic is an
/// opaque trap).
pub fn open_ipc(source: Rc<dyn ByteSource>) -> Result<Table> {
    let size = source.size();
    if size == 0 {
        return Err(Error::invalid_table(
            "the Arrow IPC input is empty (0 bytes)",
        ));
    }
    let head = read(source.as_ref(), 0..FILE_MAGIC.len().min(size))?;
    let ipc = if head.as_slice() == FILE_MAGIC {
        open_file(source)?
    } else {
        open_stream(source)?
    };
    Table::lazy(ipc)
}

fn bad(what: &str) -> Error {
    Error::invalid_table(format!("not readable as Arrow IPC: {what}"))
}

fn ipc_error(err: arrow_schema::ArrowError) -> Error {
    Error::invalid_table(format!("not readable as Arrow IPC (stream or file): {err}"))
}

/// A record batch not yet decoded: its checked header and where its body lies in the source.
struct LazyBatch {
    /// The message flatbuffer, verified, with buffer lengths padded (see [`check_buffers`]).
    meta: Vec<u8>,
    /// The body's place in the source.
    body: Range<usize>,
    rows: usize,
    /// Each top-level column's buffers (indexes into the header's buffer list).
    columns: Vec<Range<u32>>,
    /// The dictionaries in force for this batch.
    dictionaries: Rc<HashMap<i64, ArrayRef>>,
}

/// An opened IPC input: the schema and each batch's header; columns are decoded on request.
pub(super) struct LazyIpc {
    source: Rc<dyn ByteSource>,
    schema: SchemaRef,
    version: MetadataVersion,
    batches: Vec<LazyBatch>,
}

impl std::fmt::Debug for LazyIpc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LazyIpc")
            .field("bytes", &self.source.size())
            .field("batches", &self.batches.len())
            .finish()
    }
}

impl LazyIpc {
    pub(super) fn schema(&self) -> &SchemaRef {
        &self.schema
    }

    /// Rows in each batch.
    pub(super) fn batch_rows(&self) -> impl Iterator<Item = usize> + '_ {
        self.batches.iter().map(|b| b.rows)
    }

    /// Whether reading a column copies it (the source is not in memory already).
    pub(super) fn copies(&self) -> bool {
        self.source.in_place().is_none()
    }

    /// Bytes the buffers of column `index` take in the input, over every batch.
    pub(super) fn column_bytes(&self, index: usize) -> Result<u64> {
        let mut total = 0u64;
        for b in &self.batches {
            let wanted = b.columns[index].start as usize..b.columns[index].end as usize;
            total += buffers_span(&b.meta, wanted)?.len() as u64;
        }
        Ok(total)
    }

    /// Reads and decodes columns `indexes` (ascending, distinct) of every batch, copying only
    /// those columns' buffers: one array per batch for each.
    pub(super) fn columns(&self, indexes: &[usize]) -> Result<Vec<Vec<ArrayRef>>> {
        let mut out: Vec<Vec<ArrayRef>> = indexes
            .iter()
            .map(|_| Vec::with_capacity(self.batches.len()))
            .collect();
        let mut meta = Vec::new();
        for b in &self.batches {
            let (body, header): (Buffer, &[u8]) = match self.source.in_place() {
                // In memory already: the body as it is, the header unchanged.
                Some(all) => (all.slice_with_length(b.body.start, b.body.len()), &b.meta),
                None => (self.compact_body(b, indexes, &mut meta)?, &meta),
            };
            // SAFETY: `header` is (a copy of) a header verified when the input was opened;
            // since then only the values of its fixed-size `Buffer` structs were rewritten,
            // which leaves the flatbuffer's structure as verified.
            let message = unsafe { arrow_ipc::root_as_message_unchecked(header) };
            let batch = message
                .header_as_record_batch()
                .ok_or_else(|| bad("a record batch header changed"))?;
            let decoded = arrow_ipc::reader::read_record_batch(
                &body,
                batch,
                self.schema.clone(),
                &b.dictionaries,
                Some(indexes),
                &self.version,
            )
            .map_err(ipc_error)?;
            for (column, array) in out.iter_mut().zip(decoded.columns()) {
                column.push(array.clone());
            }
        }
        Ok(out)
    }

    /// A body holding just the buffers of columns `indexes` of batch `b`, column after column,
    /// with `meta` set to the batch's header pointing its buffers there.
    fn compact_body(&self, b: &LazyBatch, indexes: &[usize], meta: &mut Vec<u8>) -> Result<Buffer> {
        meta.clone_from(&b.meta);
        // Each column's buffers are read as one span of the body.
        let mut spans = Vec::with_capacity(indexes.len());
        let mut size = 0;
        for &i in indexes {
            let wanted = b.columns[i].start as usize..b.columns[i].end as usize;
            let span = buffers_span(meta, wanted.clone())?;
            spans.push((wanted, span.clone(), size));
            size += span.len().next_multiple_of(8);
        }
        let mut body = MutableBuffer::from_len_zeroed(size);
        for (wanted, span, at) in spans {
            self.source.read_into(
                b.body.start + span.start,
                &mut body.as_slice_mut()[at..at + span.len()],
            )?;
            rebase_buffers(meta, wanted, span.start, at);
        }
        Ok(body.into())
    }
}

/// The part of the body that buffers `wanted` of a verified record batch header cover
/// (empty buffers aside).
fn buffers_span(meta: &[u8], wanted: Range<usize>) -> Result<Range<usize>> {
    // SAFETY: as in `LazyIpc::columns`: a verified header with only `Buffer` values
    // rewritten.
    let message = unsafe { arrow_ipc::root_as_message_unchecked(meta) };
    let buffers = message
        .header_as_record_batch()
        .and_then(|b| b.buffers())
        .ok_or_else(|| bad("a record batch header changed"))?;
    let (mut start, mut end) = (usize::MAX, 0);
    for i in wanted {
        let b = buffers.get(i);
        if b.length() > 0 {
            start = start.min(b.offset() as usize);
            end = end.max((b.offset() + b.length()) as usize);
        }
    }
    Ok(if start < end { start..end } else { 0..0 })
}

/// Moves buffers `wanted` of a verified record batch header from `from` in the old body to
/// `to` in a new one (empty buffers to 0).
fn rebase_buffers(meta: &mut [u8], wanted: Range<usize>, from: usize, to: usize) {
    // SAFETY: as in `LazyIpc::columns`.
    let message = unsafe { arrow_ipc::root_as_message_unchecked(meta) };
    let Some(buffers) = message.header_as_record_batch().and_then(|b| b.buffers()) else {
        return;
    };
    let table_at = buffers.bytes().as_ptr() as usize - meta.as_ptr() as usize;
    let moved: Vec<(usize, i64)> = wanted
        .map(|i| {
            let b = buffers.get(i);
            let offset = if b.length() > 0 {
                b.offset() as usize - from + to
            } else {
                0
            };
            // A flatbuffers `Buffer` struct is { offset: i64, length: i64 }.
            (table_at + i * 16, offset as i64)
        })
        .collect();
    for (at, offset) in moved {
        meta[at..at + 8].copy_from_slice(&offset.to_le_bytes());
    }
}

/// A message found in the source: its header bytes (verified, buffers checked and padded by
/// [`check_buffers`]) and where its body lies.
struct Located {
    meta: Vec<u8>,
    body: Range<usize>,
}

fn read_i32(source: &dyn ByteSource, at: usize) -> Result<Option<i32>> {
    if at.checked_add(4).is_none_or(|end| end > source.size()) {
        return Ok(None);
    }
    let b = read(source, at..at + 4)?;
    Ok(Some(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
}

/// The message at `pos`, or `None` at an end-of-stream marker or the end of the input.
fn locate(source: &dyn ByteSource, pos: usize) -> Result<Option<Located>> {
    let size = source.size();
    if pos >= size {
        return Ok(None);
    }
    let truncated = || bad("truncated message length");
    let mut len = read_i32(source, pos)?.ok_or_else(truncated)?;
    let mut prefix = 4;
    if len == -1 {
        len = read_i32(source, pos + 4)?.ok_or_else(truncated)?;
        prefix = 8;
    }
    if len == 0 {
        return Ok(None);
    }
    let meta_start = pos + prefix;
    let meta_end = usize::try_from(len)
        .ok()
        .and_then(|l| meta_start.checked_add(l))
        .filter(|&end| end <= size)
        .ok_or_else(|| bad("a message header runs past the end of the input"))?;
    let mut meta = read(source, meta_start..meta_end)?.to_vec();
    let message = arrow_ipc::root_as_message(&meta)
        .map_err(|e| bad(&format!("a message header is corrupt ({e})")))?;
    let body_len = usize::try_from(message.bodyLength())
        .ok()
        .filter(|&l| meta_end.checked_add(l).is_some_and(|end| end <= size))
        .ok_or_else(|| bad("a message body runs past the end of the input"))?;
    check_buffers(&mut meta, body_len)?;
    Ok(Some(Located {
        meta,
        body: meta_end..meta_end + body_len,
    }))
}

/// Checks that every buffer of a record or dictionary batch lies inside its body.
///
/// It also rounds each buffer's recorded length up to the 8-byte padding the IPC format
/// requires (staying inside the body): arrow-data 60.1 asserts, rather than checks, that a
/// fixed-width buffer's length is a multiple of its element width, so a corrupt length would
/// otherwise panic. Arrays never read past the lengths their nodes declare, so a longer
/// buffer changes nothing for valid input.
///
/// `meta` must be a header [`locate`] has just verified.
fn check_buffers(meta: &mut [u8], body_len: usize) -> Result<()> {
    // (position of the length field, padded length) of every buffer to rewrite.
    let mut fixes = Vec::new();
    {
        // SAFETY: verified by the caller, unchanged since.
        let message = unsafe { arrow_ipc::root_as_message_unchecked(meta) };
        if let Some(c) = message
            .header_as_record_batch()
            .and_then(|b| b.compression())
        {
            return Err(Error::invalid_table(format!(
                "compressed Arrow IPC ({:?}) is not supported; write it uncompressed \
                 (pyarrow: ipc.IpcWriteOptions(compression=None); apache-arrow JS and \
                 DuckDB-wasm write uncompressed IPC by default)",
                c.codec()
            )));
        }
        let batch = message
            .header_as_record_batch()
            .or_else(|| message.header_as_dictionary_batch().and_then(|d| d.data()));
        if let Some(buffers) = batch.and_then(|b| b.buffers()) {
            let table_at = buffers.bytes().as_ptr() as usize - meta.as_ptr() as usize;
            for (i, buf) in buffers.iter().enumerate() {
                let (offset, length) = usize::try_from(buf.offset())
                    .ok()
                    .zip(usize::try_from(buf.length()).ok())
                    .filter(|&(o, l)| o.checked_add(l).is_some_and(|end| end <= body_len))
                    .ok_or_else(|| bad("a buffer lies outside its message body"))?;
                let padded = length.next_multiple_of(8);
                if padded > body_len - offset {
                    // Writers pad every buffer to 8 bytes; one that cannot be would reach arrow
                    // with a length its values do not divide (a panic there, an abort in wasm).
                    return Err(bad(
                        "a buffer is not padded to 8 bytes within its message body",
                    ));
                }
                if padded != length {
                    fixes.push((table_at + i * 16 + 8, padded));
                }
            }
        }
    }
    for (at, padded) in fixes {
        meta[at..at + 8].copy_from_slice(&(padded as i64).to_le_bytes());
    }
    Ok(())
}

/// Number of buffers a field takes in a record batch, its children's included (arrow-ipc's
/// reader reads them in this order; see its `skip_field`).
fn buffer_count(
    data_type: &DataType,
    version: MetadataVersion,
    variadic: &mut VecDeque<i64>,
) -> Result<usize> {
    let mut n = own_buffers(data_type, version, variadic)?;
    for child in child_types(data_type) {
        n += buffer_count(child, version, variadic)?;
    }
    Ok(n)
}

/// Number of buffers a field takes itself, before its children's (a view column takes its
/// variadic count from `variadic`).
fn own_buffers(
    data_type: &DataType,
    version: MetadataVersion,
    variadic: &mut VecDeque<i64>,
) -> Result<usize> {
    Ok(match data_type {
        DataType::Null | DataType::RunEndEncoded(..) => 0,
        DataType::Utf8 | DataType::Binary | DataType::LargeBinary | DataType::LargeUtf8 => 3,
        DataType::Utf8View | DataType::BinaryView => variadic
            .pop_front()
            .and_then(|c| usize::try_from(c).ok())
            .and_then(|c| c.checked_add(2))
            .ok_or_else(|| bad("a view column's variadic buffer count is missing or wrong"))?,
        DataType::List(_) | DataType::LargeList(_) | DataType::Map(..) => 2,
        DataType::ListView(_) | DataType::LargeListView(_) => 3,
        DataType::FixedSizeList(..) | DataType::Struct(_) => 1,
        DataType::Union(_, mode) => {
            usize::from(version < MetadataVersion::V5) + 1 + usize::from(*mode == UnionMode::Dense)
        }
        // Dictionary indices, fixed-width values and booleans: validity + values.
        _ => 2,
    })
}

/// A union's rows are read as that many type ids before anything checks them (arrow-ipc slices
/// its type-id buffer by the node's length: a panic, an abort in wasm, when it is shorter), so
/// every union node's length is checked against its buffers first. Walks the nodes and buffers
/// in the reader's order (see [`buffer_count`]).
fn check_unions(
    data_type: &DataType,
    batch: &arrow_ipc::RecordBatch<'_>,
    version: MetadataVersion,
    (node, buffer): (&mut usize, &mut usize),
    variadic: &mut VecDeque<i64>,
) -> Result<()> {
    let children = child_types(data_type);
    let own = own_buffers(data_type, version, variadic)?;
    if let DataType::Union(_, mode) = data_type {
        let nodes = batch
            .nodes()
            .ok_or_else(|| bad("a record batch has no field nodes"))?;
        let buffers = batch
            .buffers()
            .ok_or_else(|| bad("a record batch has no buffers"))?;
        let rows = (*node < nodes.len()).then(|| nodes.get(*node).length());
        let ids = *buffer + usize::from(version < MetadataVersion::V5);
        let fits = |i: usize, width: i64| {
            i < buffers.len()
                && rows.is_some_and(|r| {
                    r >= 0
                        && r.checked_mul(width)
                            .is_some_and(|b| b <= buffers.get(i).length())
                })
        };
        if !fits(ids, 1) || (*mode == UnionMode::Dense && !fits(ids + 1, 4)) {
            return Err(bad("a union column has more rows than its type ids"));
        }
    }
    *node += 1;
    *buffer += own;
    for child in children {
        check_unions(child, batch, version, (node, buffer), variadic)?;
    }
    Ok(())
}

/// The types of a nested type's children, in IPC field-node order (a dictionary's values are
/// not a child there: they come in dictionary batches).
fn child_types(data_type: &DataType) -> Vec<&DataType> {
    match data_type {
        DataType::List(f)
        | DataType::LargeList(f)
        | DataType::Map(f, _)
        | DataType::ListView(f)
        | DataType::LargeListView(f)
        | DataType::FixedSizeList(f, _) => vec![f.data_type()],
        DataType::Struct(fields) => fields.iter().map(|f| f.data_type()).collect(),
        DataType::RunEndEncoded(ends, values) => vec![ends.data_type(), values.data_type()],
        DataType::Union(fields, _) => fields.iter().map(|(_, f)| f.data_type()).collect(),
        _ => Vec::new(),
    }
}

/// Whether `data_type` has a dictionary whose values hold a union.
fn dictionary_of_union(data_type: &DataType) -> bool {
    fn has_union(t: &DataType) -> bool {
        match t {
            DataType::Union(..) => true,
            DataType::Dictionary(_, v) => has_union(v),
            t => child_types(t).into_iter().any(has_union),
        }
    }
    match data_type {
        DataType::Dictionary(_, v) => has_union(v),
        t => child_types(t).into_iter().any(dictionary_of_union),
    }
}

/// Each top-level column's buffer range in a record batch header.
fn column_buffers(
    schema: &Schema,
    batch: arrow_ipc::RecordBatch<'_>,
    version: MetadataVersion,
) -> Result<Vec<Range<u32>>> {
    let mut variadic: VecDeque<i64> = batch.variadicBufferCounts().into_iter().flatten().collect();
    let total = batch.buffers().map_or(0, |b| b.len());
    let mut at = 0usize;
    let mut out = Vec::with_capacity(schema.fields().len());
    for field in schema.fields() {
        let start = at;
        at = at
            .checked_add(buffer_count(field.data_type(), version, &mut variadic)?)
            .filter(|&end| end <= total)
            .ok_or_else(|| bad("a record batch has fewer buffers than its schema needs"))?;
        out.push(start as u32..at as u32);
    }
    Ok(out)
}

/// Collects an input's messages in order: the schema, dictionaries (decoded now) and record
/// batches (headers kept).
struct Reader {
    source: Rc<dyn ByteSource>,
    schema: Option<SchemaRef>,
    version: MetadataVersion,
    dictionaries: Rc<HashMap<i64, ArrayRef>>,
    batches: Vec<LazyBatch>,
}

impl Reader {
    fn new(source: Rc<dyn ByteSource>, schema: Option<SchemaRef>) -> Self {
        Reader {
            source,
            schema,
            version: MetadataVersion::V5,
            dictionaries: Rc::default(),
            batches: Vec::new(),
        }
    }

    fn schema(&self) -> Result<&SchemaRef> {
        self.schema
            .as_ref()
            .ok_or_else(|| Error::invalid_table("the Arrow IPC stream has no schema message"))
    }

    fn take(&mut self, located: Located) -> Result<()> {
        let Located { meta, body } = located;
        // SAFETY: `locate` verified the header; since then only `Buffer` values changed.
        let message = unsafe { arrow_ipc::root_as_message_unchecked(&meta) };
        self.version = message.version();
        match message.header_type() {
            MessageHeader::Schema => {
                if self.schema.is_some() {
                    return Err(bad("a second schema message (or one in a file block)"));
                }
                let fb = message
                    .header_as_schema()
                    .ok_or_else(|| bad("a schema message has no schema"))?;
                self.schema = Some(Arc::new(
                    arrow_ipc::convert::try_fb_to_schema(fb).map_err(ipc_error)?,
                ));
            }
            MessageHeader::DictionaryBatch => {
                let dictionary = message
                    .header_as_dictionary_batch()
                    .ok_or_else(|| bad("a dictionary message has no dictionary"))?;
                let schema = self.schema()?.clone();
                // A dictionary of unions would be read without `check_unions` (arrow-ipc slices a
                // union's type ids by its node's length): not supported.
                if schema
                    .fields()
                    .iter()
                    .any(|f| dictionary_of_union(f.data_type()))
                {
                    return Err(bad("dictionaries of union values are not supported"));
                }
                let data = read(self.source.as_ref(), body)?;
                let mut dictionaries = (*self.dictionaries).clone();
                arrow_ipc::reader::read_dictionary(
                    &data,
                    dictionary,
                    &schema,
                    &mut dictionaries,
                    &self.version,
                )
                .map_err(ipc_error)?;
                self.dictionaries = Rc::new(dictionaries);
            }
            MessageHeader::RecordBatch => {
                let batch = message
                    .header_as_record_batch()
                    .ok_or_else(|| bad("a record batch message has no batch"))?;
                let rows = usize::try_from(batch.length())
                    .map_err(|_| bad("a record batch has a negative length"))?;
                let columns = column_buffers(self.schema()?, batch, self.version)?;
                let (mut node, mut buffer) = (0, 0);
                let mut variadic = batch.variadicBufferCounts().into_iter().flatten().collect();
                for field in self.schema()?.fields() {
                    check_unions(
                        field.data_type(),
                        &batch,
                        self.version,
                        (&mut node, &mut buffer),
                        &mut variadic,
                    )?;
                }
                self.batches.push(LazyBatch {
                    meta,
                    body,
                    rows,
                    columns,
                    dictionaries: self.dictionaries.clone(),
                });
            }
            MessageHeader::NONE => {}
            other => return Err(bad(&format!("unsupported message type {other:?}"))),
        }
        Ok(())
    }

    fn finish(self) -> Result<LazyIpc> {
        let schema = self.schema()?.clone();
        Ok(LazyIpc {
            source: self.source,
            schema,
            version: self.version,
            batches: self.batches,
        })
    }
}

fn open_stream(source: Rc<dyn ByteSource>) -> Result<LazyIpc> {
    let mut reader = Reader::new(source.clone(), None);
    let mut pos = 0;
    while let Some(located) = locate(source.as_ref(), pos)? {
        pos = located.body.end;
        reader.take(located)?;
    }
    reader.finish()
}

/// Reads the IPC file format through its footer: the schema, then each dictionary and record
/// batch block, every block checked like a stream message first.
fn open_file(source: Rc<dyn ByteSource>) -> Result<LazyIpc> {
    let truncated = || Error::invalid_table("the Arrow IPC file is truncated (no footer)");
    let n = source.size();
    if n < 8 + 10 || read(source.as_ref(), n - 6..n)?.as_slice() != FILE_MAGIC {
        return Err(truncated());
    }
    let footer_len = read_i32(source.as_ref(), n - 10)?.ok_or_else(truncated)?;
    let footer_start = usize::try_from(footer_len)
        .ok()
        .and_then(|len| (n - 10).checked_sub(len))
        .filter(|&start| start >= 8)
        .ok_or_else(truncated)?;
    let footer_bytes = read(source.as_ref(), footer_start..n - 10)?;
    let (schema, blocks) = {
        let footer = arrow_ipc::root_as_footer(&footer_bytes)
            .map_err(|e| bad(&format!("the file footer is corrupt ({e})")))?;
        let schema = footer
            .schema()
            .ok_or_else(|| bad("the file footer has no schema"))?;
        let schema = arrow_ipc::convert::try_fb_to_schema(schema).map_err(ipc_error)?;
        let blocks: Vec<arrow_ipc::Block> = footer
            .dictionaries()
            .into_iter()
            .chain(footer.recordBatches())
            .flat_map(|v| v.iter().copied())
            .collect();
        (Arc::new(schema), blocks)
    };
    let mut reader = Reader::new(source.clone(), Some(schema));
    for block in &blocks {
        let range = usize::try_from(block.offset())
            .ok()
            .zip(usize::try_from(block.metaDataLength()).ok())
            .zip(usize::try_from(block.bodyLength()).ok())
            .and_then(|((o, m), b)| Some(o..o.checked_add(m)?.checked_add(b)?))
            .filter(|r| r.start >= 8 && r.end <= footer_start)
            .ok_or_else(|| bad("a file block lies outside the file"))?;
        let located = locate(source.as_ref(), range.start)?
            .filter(|l| l.body.end == range.end)
            .ok_or_else(|| bad("a file block's lengths disagree with its message"))?;
        // The reader has the footer's schema: a schema message in a block is refused there.
        reader.take(located)?;
    }
    reader.finish()
}

/// Writes record batches sharing `schema` as Arrow IPC *stream* bytes (what
/// `tableFromIPC` in apache-arrow JS and `pyarrow.ipc.open_stream` read).
pub fn write_ipc_stream(schema: &arrow_schema::Schema, batches: &[RecordBatch]) -> Result<Vec<u8>> {
    // The bytes are the arrays' buffers padded, in a vector that grows by doubling: twice
    // their size, and a message header per batch, covers it.
    let size: u64 = batches
        .iter()
        .flat_map(|b| b.columns())
        .map(|a| super::data_bytes(&a.to_data()))
        .sum();
    let rows: usize = batches.iter().map(RecordBatch::num_rows).sum();
    crate::memory::Need::new(
        "writing Arrow IPC",
        "rows",
        rows as u64,
        2.0 * size as f64 / rows.max(1) as f64,
    )
    .plus(4096 * (batches.len() as u64 + 1))
    .check()?;
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

    #[test]
    fn unions_still_read() {
        use arrow_array::{Array, UnionArray};
        use arrow_buffer::ScalarBuffer;
        use arrow_schema::UnionFields;
        let fields = UnionFields::try_new(
            vec![0, 1],
            vec![
                Field::new("n", DataType::Int64, true),
                Field::new("s", DataType::Utf8, true),
            ],
        )
        .unwrap();
        for dense in [false, true] {
            let ids = ScalarBuffer::from(vec![0i8, 1, 0]);
            let (offsets, children): (_, Vec<ArrayRef>) = if dense {
                (
                    Some(ScalarBuffer::from(vec![0i32, 0, 1])),
                    vec![
                        Arc::new(Int64Array::from(vec![1, 2])),
                        Arc::new(StringArray::from(vec!["a"])),
                    ],
                )
            } else {
                (
                    None,
                    vec![
                        Arc::new(Int64Array::from(vec![1, 0, 2])),
                        Arc::new(StringArray::from(vec!["", "a", ""])),
                    ],
                )
            };
            let u = UnionArray::try_new(fields.clone(), ids, offsets, children).unwrap();
            let schema = Arc::new(Schema::new(vec![Field::new(
                "u",
                u.data_type().clone(),
                false,
            )]));
            let batch = RecordBatch::try_new(schema.clone(), vec![Arc::new(u)]).unwrap();
            let bytes = write_ipc_stream(&schema, &[batch]).unwrap();
            let t = read_ipc(bytes).unwrap();
            assert_eq!(t.num_rows(), 3);
            assert_eq!(t.batches().unwrap()[0].column(0).len(), 3, "dense: {dense}");
        }
    }

    #[test]
    fn a_union_longer_than_its_type_ids_is_an_error() {
        // Found by the `ipc` fuzz target: a sparse union column whose node claims 8.6e17 rows
        // reached arrow-ipc, which sliced its type ids by that length (a panic).
        let bytes = include_bytes!("../../../fuzz/corpus/ipc/regression-union-length");
        let err = read_ipc(bytes.to_vec()).unwrap_err();
        assert!(
            err.to_string()
                .contains("a union column has more rows than its type ids"),
            "{err}"
        );
    }

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
        assert_eq!(table.batches().unwrap()[1], batch);
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
        assert_eq!(table.batches().unwrap(), &[batch]);
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
    /// Reads every column (last first, each on its own), then the batches: the row count.
    fn read_everything(bytes: Vec<u8>) -> Result<usize> {
        let table = read_ipc(bytes)?;
        for name in table.column_names().iter().rev() {
            table.column(name, "column")?;
        }
        Ok(table.batches()?.iter().map(RecordBatch::num_rows).sum())
    }

    /// A stream with a dictionary column whose dictionary is replaced between batches, a
    /// `Utf8View` column (variadic buffers) and a column after them.
    fn mixed_stream() -> (Vec<u8>, Vec<RecordBatch>) {
        use arrow_array::types::Int32Type;
        use arrow_array::{DictionaryArray, StringViewArray};
        let schema = Arc::new(Schema::new(vec![
            Field::new(
                "host",
                DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8)),
                true,
            ),
            Field::new("cmd", DataType::Utf8View, true),
            Field::new("pid", DataType::Int64, true),
        ]));
        let long = "powershell.exe -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA";
        let batch = |hosts: Vec<&str>, pids: Vec<i64>| {
            let n = hosts.len();
            RecordBatch::try_new(
                schema.clone(),
                vec![
                    Arc::new(hosts.into_iter().collect::<DictionaryArray<Int32Type>>()) as ArrayRef,
                    Arc::new(StringViewArray::from(vec![Some(long); n])),
                    Arc::new(Int64Array::from(pids)),
                ],
            )
            .unwrap()
        };
        let batches = vec![
            batch(vec!["ws1", "ws2", "ws1"], vec![4, 8, 15]),
            batch(vec!["dc1", "dc1"], vec![16, 23]),
        ];
        (write_ipc_stream(&schema, &batches).unwrap(), batches)
    }

    #[test]
    fn dictionaries_and_view_columns_read_lazily() {
        let (bytes, batches) = mixed_stream();
        let table = read_ipc(bytes).unwrap();
        assert_eq!(table.num_rows(), 5);
        // The column after the dictionary and view columns, on its own.
        let pids = crate::table::text_values(&table.column("pid", "pid").unwrap()).unwrap();
        assert_eq!(
            pids,
            ["4", "8", "15", "16", "23"].map(|p| Some(p.to_owned()))
        );
        // The replaced dictionary applies from its batch on.
        let hosts = crate::table::text_values(&table.column("host", "host").unwrap()).unwrap();
        assert_eq!(
            hosts,
            ["ws1", "ws2", "ws1", "dc1", "dc1"].map(|h| Some(h.to_owned()))
        );
        assert_eq!(table.batches().unwrap(), batches.as_slice());
    }

    /// A source that counts the bytes read from it.
    struct Counting(Buffer, std::cell::Cell<usize>);

    impl ByteSource for Counting {
        fn size(&self) -> usize {
            self.0.len()
        }
        fn read_into(&self, at: usize, out: &mut [u8]) -> Result<()> {
            self.1.set(self.1.get() + out.len());
            self.0.read_into(at, out)
        }
    }

    #[test]
    fn a_column_reads_only_its_own_buffers() {
        let schema = Arc::new(Schema::new(vec![
            Field::new("cmd", DataType::Utf8, false),
            Field::new("n", DataType::Int64, false),
        ]));
        let rows = 1000;
        let batch = RecordBatch::try_new(
            schema.clone(),
            vec![
                Arc::new(StringArray::from(vec!["x".repeat(200); rows])) as ArrayRef,
                Arc::new(Int64Array::from_iter_values(0..rows as i64)),
            ],
        )
        .unwrap();
        let bytes = write_ipc_stream(&schema, &[batch.clone(), batch]).unwrap();
        let total = bytes.len();
        let source = Rc::new(Counting(Buffer::from_vec(bytes), Default::default()));
        let table = open_ipc(source.clone()).unwrap();
        let opened = source.1.get();
        assert!(opened < 2_000, "opening read {opened} of {total} bytes");
        let n = table.column("n", "n").unwrap();
        let mut sum = 0.0;
        crate::table::for_each_number(&n, |_, v| sum += v).unwrap();
        assert_eq!(sum, 2.0 * (999.0 * 1000.0 / 2.0));
        // Two batches × 1000 8-byte values, plus nothing of the 400 kB of text.
        let read = source.1.get() - opened;
        assert_eq!(read, 2 * 8 * rows, "{read} bytes read for `n`");
        assert!(total > 400_000);
    }

    #[test]
    fn columns_copied_together_read_the_same_as_in_place() {
        let (bytes, batches) = mixed_stream();
        let source = Rc::new(Counting(
            Buffer::from_vec(bytes.clone()),
            Default::default(),
        ));
        let copied = open_ipc(source).unwrap();
        copied.load(&["pid", "host", "cmd"]).unwrap();
        assert_eq!(copied.batches().unwrap(), batches.as_slice());
        let in_place = read_ipc(bytes).unwrap();
        in_place.load(&["pid", "host"]).unwrap();
        assert_eq!(in_place.batches().unwrap(), batches.as_slice());
    }

    /// A source whose bytes went away after opening (a detached or resized JS buffer).
    struct Shrinking(Buffer, std::cell::Cell<bool>);

    impl ByteSource for Shrinking {
        fn size(&self) -> usize {
            self.0.len()
        }
        fn read_into(&self, at: usize, out: &mut [u8]) -> Result<()> {
            if self.1.get() {
                return Err(Error::invalid_table("the input bytes were released"));
            }
            self.0.read_into(at, out)
        }
    }

    #[test]
    fn a_source_gone_after_opening_is_an_error() {
        let (bytes, _) = mixed_stream();
        let source = Rc::new(Shrinking(Buffer::from_vec(bytes), Default::default()));
        let table = open_ipc(source.clone()).unwrap();
        source.1.set(true);
        let err = table.column("pid", "pid").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid table: the input bytes were released"
        );
    }

    #[test]
    fn compressed_input_is_refused_by_name() {
        // A real LZ4 stream would need the codec to write; mark the batch as compressed in
        // a valid header instead, as a writer with compression on does.
        let (schema, batch) = sample();
        let out = write_ipc_stream(&schema, &[batch]).unwrap();
        // A RecordBatch message with a BodyCompression, built with the flatbuffers builder.
        let mut fbb = flatbuffers::FlatBufferBuilder::new();
        let compression = {
            let mut b = arrow_ipc::BodyCompressionBuilder::new(&mut fbb);
            b.add_codec(arrow_ipc::CompressionType::LZ4_FRAME);
            b.finish()
        };
        let nodes = fbb.create_vector::<arrow_ipc::FieldNode>(&[]);
        let buffers = fbb.create_vector::<arrow_ipc::Buffer>(&[]);
        let batch = {
            let mut b = arrow_ipc::RecordBatchBuilder::new(&mut fbb);
            b.add_length(0);
            b.add_nodes(nodes);
            b.add_buffers(buffers);
            b.add_compression(compression);
            b.finish()
        };
        let message = {
            let mut b = arrow_ipc::MessageBuilder::new(&mut fbb);
            b.add_version(MetadataVersion::V5);
            b.add_header_type(MessageHeader::RecordBatch);
            b.add_header(batch.as_union_value());
            b.finish()
        };
        fbb.finish(message, None);
        let meta = fbb.finished_data();
        // The writer's schema message, then ours.
        let schema_len = 8 + i32::from_le_bytes(out[4..8].try_into().unwrap()) as usize;
        let mut bytes = out[..schema_len].to_vec();
        bytes.extend_from_slice(&[0xff; 4]);
        bytes.extend_from_slice(&(meta.len() as i32).to_le_bytes());
        bytes.extend_from_slice(meta);
        let err = read_ipc(bytes).unwrap_err().to_string();
        assert!(
            err.contains("compressed Arrow IPC (LZ4_FRAME) is not supported"),
            "{err}"
        );
    }

    #[test]
    fn corrupted_streams_never_panic() {
        let (schema, batch) = sample();
        let (mixed, _) = mixed_stream();
        for good in [write_ipc_stream(&schema, &[batch]).unwrap(), mixed] {
            for len in 0..good.len() {
                let cut = good[..len].to_vec();
                let outcome = std::panic::catch_unwind(|| read_everything(cut));
                assert!(outcome.is_ok(), "panic on truncation to {len} bytes");
            }
            for pos in 0..good.len() {
                for byte in [0x00, 0xff, 0x7f, 0x80] {
                    let mut bad = good.clone();
                    bad[pos] = byte;
                    let outcome = std::panic::catch_unwind(|| read_everything(bad));
                    assert!(outcome.is_ok(), "panic with byte {byte:#x} at {pos}");
                }
            }
            assert!(read_everything(good.clone()).unwrap() > 0);
        }
    }
}
