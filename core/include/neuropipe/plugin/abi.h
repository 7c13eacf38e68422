/* NeuroPipe plugin ABI (C). A plugin shared library exports exactly one
 * symbol, NEUROPIPE_PLUGIN_ENTRY_SYMBOL, returning a pointer to a static
 * descriptor. Only C types cross this boundary: frames, contexts and
 * parameters are opaque handles that the plugin reads through libneuropipe
 * (the C++ SDK in sdk.hpp does this for you). No C++ exception may escape a
 * function below: failures return NP_ERROR with a message in `err`.
 *
 * Bump NEUROPIPE_PLUGIN_ABI_VERSION on any incompatible change to this file
 * or to the layout of the types the handles point at (Frame, Metadata). */
#ifndef NEUROPIPE_PLUGIN_ABI_H
#define NEUROPIPE_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NEUROPIPE_PLUGIN_ABI_VERSION 2u  /* 2: Detection.aligned (face_align) */
#define NEUROPIPE_PLUGIN_ENTRY_SYMBOL "neuropipe_plugin_entry"

typedef struct np_node np_node;       /* a configured plugin instance (one per pipeline node) */
typedef struct np_frame np_frame;     /* neuropipe::Frame */
typedef struct np_context np_context; /* neuropipe::plugin::Context */

enum np_status { NP_OK = 0, NP_ERROR = 1 };

enum np_param_type {
  NP_PARAM_BOOL = 0,
  NP_PARAM_INT = 1,
  NP_PARAM_FLOAT = 2,
  NP_PARAM_STRING = 3,
  NP_PARAM_STRING_LIST = 4,
  NP_PARAM_PATH = 5
};

typedef struct np_param_desc {
  const char* name;
  int type;                  /* enum np_param_type */
  const char* default_json;  /* default as JSON text ("3", "0.5", "\"tabby\"", "true"); NULL = required */
  const char* doc;
  const char* choices;       /* comma-separated allowed values for strings, or NULL */
  int has_range;             /* numeric range check when non-zero */
  double min_value;
  double max_value;
} np_param_desc;

/* Metadata a node reads or writes, by kind ("detections", "classifications",
 * "mask", "caption", "image", or a plugin's own). A read kind ending in '?'
 * is optional (used when present, e.g. the overlay). */
typedef struct np_plugin_descriptor {
  uint32_t abi_version;      /* NEUROPIPE_PLUGIN_ABI_VERSION the plugin was built with */
  uint32_t struct_size;      /* sizeof(np_plugin_descriptor) */
  const char* name;
  const char* version;
  const char* description;
  const np_param_desc* params;
  size_t num_params;
  const char* const* reads;
  size_t num_reads;
  const char* const* writes;
  size_t num_writes;
  uint32_t flags;            /* NP_FLAG_* */

  /* params_json: a JSON object with every declared parameter (defaults
   * filled in and checked by the host). */
  int (*create)(const char* params_json, np_context* ctx, np_node** out, char* err, size_t err_size);
  void (*destroy)(np_node* node);
  int (*process)(np_node* node, np_frame* frame, np_context* ctx, char* err, size_t err_size);
  /* Optional (NULL): several frames (possibly from several streams) at once. */
  int (*process_batch)(np_node* node, np_frame* const* frames, size_t count, np_context* ctx,
                       char* err, size_t err_size);
  /* Optional (NULL): end of all streams; flush state. */
  int (*finish)(np_node* node, np_context* ctx, char* err, size_t err_size);
} np_plugin_descriptor;

/* process() may be called from several threads at once on one node. Without
 * this flag the host serialises calls on the node (and keeps frame order). */
#define NP_FLAG_CONCURRENT 0x1u
/* The node keeps state across frames (tracking, smoothing): the host calls it with one
   frame at a time, each source's frames in order (this overrides NP_FLAG_CONCURRENT). */
#define NP_FLAG_ORDERED 0x2u

typedef const np_plugin_descriptor* (*np_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* NEUROPIPE_PLUGIN_ABI_H */
